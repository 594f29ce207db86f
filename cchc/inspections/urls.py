from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("kiem-tra/", views.home, name="home"),
    path("kiem-tra/kien-nghi-qua-han/", views.overdue, name="overdue"),
    path("kiem-tra/kien-nghi/<int:pk>/bao-cao/", views.follow_up, name="follow_up"),
    path("kiem-tra/<int:pk>/", views.detail, name="detail"),
    path("kiem-tra/<int:pk>/ket-thuc/", views.close, name="close"),
]
