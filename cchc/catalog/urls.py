from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("thu-tuc/", views.procedure_search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="detail"),
]
