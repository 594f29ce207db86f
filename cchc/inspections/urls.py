from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("kiem-tra/", views.home, name="home"),
    path("kiem-tra/kien-nghi-qua-han/", views.overdue, name="overdue"),
    path("kiem-tra/kien-nghi/<int:pk>/bao-cao/", views.follow_up, name="follow_up"),
    path("kiem-tra/ke-hoach/<int:plan_pk>/them-cuoc/", views.inspection_new, name="inspection_new"),
    path("kiem-tra/<int:pk>/", views.detail, name="detail"),
    path("kiem-tra/<int:pk>/da-kiem-tra/", views.conducted, name="conducted"),
    path("kiem-tra/<int:pk>/phat-hien/", views.finding_new, name="finding_new"),
    path("kiem-tra/<int:pk>/phat-hien/<int:finding_pk>/xu-ly/", views.finding_action, name="finding_action"),
    path("kiem-tra/<int:pk>/kien-nghi/", views.recommendation_new, name="recommendation_new"),
    path("kiem-tra/<int:pk>/ket-thuc/", views.close, name="close"),
]
