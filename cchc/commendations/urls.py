from django.urls import path

from . import views

app_name = "commendations"
urlpatterns = [
    path("khen-thuong/", views.home, name="home"),
    path("khen-thuong/tieu-chi/", views.rule_add, name="rule_add"),
    path("khen-thuong/tinh/", views.compute, name="compute"),
    path("khen-thuong/<int:pk>/bo-sung/", views.candidate_add, name="candidate_add"),
    path("khen-thuong/<int:pk>/quyet-dinh/", views.decide, name="decide"),
    path("khen-thuong/doi-tuong/<int:pk>/loai/", views.candidate_remove, name="candidate_remove"),
]
