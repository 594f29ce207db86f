from django.urls import path

from . import views

app_name = "programme"
urlpatterns = [
    path("ke-hoach-cchc/", views.plan_list, name="list"),
    path("ke-hoach-cchc/cua-don-vi/", views.my_tasks, name="mine"),
    path("ke-hoach-cchc/xuat-ca-nhan/", views.person_export, name="export"),
    path("ke-hoach-cchc/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach-cchc/nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("ke-hoach-cchc/nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("ke-hoach-cchc/minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
]
