from django.urls import path

from . import views

app_name = "portalsync"
urlpatterns = [
    path("dong-bo-cong-dvc/", views.reconcile_page, name="reconcile"),
    path("dong-bo-cong-dvc/gui-lai/", views.requeue, name="requeue"),
]
