from django.urls import path

from . import lost_views, views

app_name = "indices"
# `indices:home` (/chi-so/) and `indices:import` are pages of `surveys` (they read published national
# results); cchc/urls.py adds them to this namespace so that indices never imports surveys.
urlpatterns = [
    path("chi-so/ky/mo-ky/", views.cycle_new, name="cycle_new"),
    path("chi-so/ky/<int:pk>/", views.cycle_detail, name="cycle"),
    path("chi-so/ky/<int:pk>/chuyen-buoc/", views.cycle_transition, name="transition"),
    path("chi-so/ky/<int:pk>/don-vi/<int:unit_id>/", views.unit_sheet, name="sheet"),
    path("chi-so/ky/<int:pk>/don-vi/<int:unit_id>/<str:code>/", views.unit_sheet_save, name="sheet_save"),
    path("chi-so/ky/<int:pk>/ket-qua/", views.results, name="results"),
    path("chi-so/tai-lieu/<int:pk>/", views.evidence_download, name="evidence"),
    path("chi-so/ky/<int:pk>/diem-bi-tru/", views.lost_points, name="lost"),
    path("chi-so/ky/<int:pk>/lo-trinh/", views.path_to_target, name="target"),
    # national lost points: the department in charge explains (giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh)
    path("chi-so/ky/<int:pk>/giai-trinh-diem-bi-tru/", lost_views.national_status, name="lost_national"),
    path("chi-so/ky/<int:pk>/giai-trinh-diem-bi-tru/giao/", lost_views.national_assign, name="lost_assign"),
    path("chi-so/giai-trinh-diem-bi-tru/", lost_views.worklist, name="lost_worklist"),
    path("chi-so/giai-trinh-diem-bi-tru/<int:apk>/", lost_views.assignment_detail, name="lost_item"),
]
