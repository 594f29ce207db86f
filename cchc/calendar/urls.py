from django.urls import path

from . import views

app_name = "calendar"
urlpatterns: list = [
    path("lich/", views.calendar_page, name="page"),
    path("lich/tinh-han/", views.due_calculator, name="due"),
]
