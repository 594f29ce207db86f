from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("tai-khoan/dang-ky/", views.register, name="register"),
    path("tai-khoan/", views.profile, name="profile"),
]
