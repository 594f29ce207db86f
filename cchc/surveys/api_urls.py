from django.urls import path

from . import api

urlpatterns = [
    path("national-results/", api.PublishedResultListApi.as_view(), name="api-national-results"),
    path("national-results/import/", api.PublishedResultImportApi.as_view(), name="api-national-results-import"),
    path("sipas/surveys/", api.SurveyListApi.as_view(), name="api-sipas-surveys"),
    path("sipas/surveys/<int:pk>/results/", api.SurveyResultsApi.as_view(), name="api-sipas-results"),
    path("sipas/surveys/<int:pk>/responses/", api.PaperResponseApi.as_view(), name="api-sipas-paper-response"),
    path("public/sipas/<str:token>/", api.PublicResponseApi.as_view(), name="api-sipas-public-response"),
]
