from django.urls import path

from . import staff_views, views

app_name = "catalog"
urlpatterns = [
    *staff_views.urlpatterns,  # /thu-tuc/quan-ly/... before thu-tuc/<code>/, which would match "quan-ly"
    path("thu-tuc/", views.procedure_search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
]
