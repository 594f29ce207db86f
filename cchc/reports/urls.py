from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("bao-cao-cchc/", views.index, name="index"),
    path("bao-cao-cchc/xem/", views.preview, name="preview"),
    path("bao-cao-cchc/tai/", views.download, name="download"),
]
