from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("don-vi/", views.unit_index, name="index"),
    path("chi-tieu/", views.target_index, name="targets"),
    path("don-vi/<str:code>/", views.unit_detail, name="detail"),
    path("tai-khoan/noi-cu-tru/", views.home_unit, name="home_unit"),
]
