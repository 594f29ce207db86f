from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("phan-anh/", views.inbox, name="inbox"),
    path("phan-anh/gui/", views.file_form, name="file"),
    path("phan-anh/cua-toi/", views.mine, name="mine"),
    path("phan-anh/cong-khai/", views.public, name="public"),
    path("phan-anh/<int:pk>/", views.detail, name="detail"),
    path("phan-anh/<int:pk>/<str:action>/", views.act, name="act"),
    path("doi-thoai/", views.dialogue_list, name="dialogues"),
    path("doi-thoai/moi/", views.dialogue_create, name="dialogue_create"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue"),
]
