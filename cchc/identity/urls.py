from django.urls import path

from . import views

app_name = "identity"
urlpatterns = [
    path("dang-nhap/dinh-danh/", views.start, name="start"),
    path("dang-nhap/dinh-danh/ket-qua/", views.callback, name="callback"),
    path("dinh-danh-gia-lap/.well-known/openid-configuration", views.fake_discovery, name="fake-discovery"),
    path("dinh-danh-gia-lap/jwks.json", views.fake_jwks, name="fake-jwks"),
    path("dinh-danh-gia-lap/uy-quyen/", views.fake_authorize, name="fake-authorize"),
    path("dinh-danh-gia-lap/token/", views.fake_token, name="fake-token"),
]
