from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("chi-so/sipas/", views.survey_home, name="home"),
    path("chi-so/sipas/mo-dot/", views.survey_open, name="open"),
    path("chi-so/sipas/bo-phieu/<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("chi-so/sipas/dot/<int:pk>/", views.survey_detail, name="survey"),
    path("chi-so/sipas/dot/<int:pk>/nhap-phieu/", views.paper_entry, name="paper"),
    path("chi-so/sipas/dot/<int:pk>/duong-dan/", views.invitation_create, name="invite"),
    path("chi-so/sipas/dot/<int:pk>/ket-thuc/", views.survey_close, name="close"),
    path("chi-so/sipas/dot/<int:pk>/dua-vao-ky/", views.push_to_cycle, name="push"),
    path("chi-so/sipas/dot/<int:pk>/mau/<int:unit_id>/", views.sample_set, name="sample"),
    path("khao-sat/<str:token>/", views.public_answer, name="public"),
]
