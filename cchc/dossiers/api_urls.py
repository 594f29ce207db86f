from django.urls import path

from . import api

urlpatterns = [
    path("dossiers/", api.DossierListCreateView.as_view(), name="api-dossier-list"),
    path("dossiers/statistics/", api.DossierStatisticsView.as_view(), name="api-dossier-statistics"),
    path("dossiers/<str:code>/", api.DossierDetailView.as_view(), name="api-dossier-detail"),
    path("dossiers/<str:code>/transitions/", api.DossierTransitionView.as_view(), name="api-dossier-transitions"),
    path("dossiers/<str:code>/documents/", api.DossierDocumentView.as_view(), name="api-dossier-documents"),
    path("checklists/<str:procedure_code>/", api.ChecklistView.as_view(), name="api-dossier-checklist"),
    path("public/transparency/", api.PublicTransparencyView.as_view(), name="api-public-transparency"),
    path("public/dossiers/<str:code>/", api.PublicDossierView.as_view(), name="api-public-dossier"),
    path("public/dossiers/<str:code>/rating/", api.PublicRatingView.as_view(), name="api-public-dossier-rating"),
]
