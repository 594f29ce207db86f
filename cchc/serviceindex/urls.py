from django.urls import path

from . import views

app_name = "serviceindex"
urlpatterns = [
    path("chi-so-766/", views.index, name="index"),
    path("chi-so-766/canh-bao/", views.warnings_page, name="warnings"),
    path("chi-so-766/canh-bao/bang/", views.warning_panel, name="warning_panel"),
    path("chi-so-766/chi-tieu/<str:code>/", views.indicator_detail, name="indicator"),
]
