from django.urls import path

from . import apology_views, dashboard_views, public_views, views

app_name = "dossiers"
urlpatterns = [
    # staff
    path("mot-cua/", views.desk_home, name="desk"),
    path("mot-cua/thu-tuc/", views.procedure_search, name="procedure_search"),
    path("mot-cua/tiep-nhan/<str:procedure_code>/", views.desk_intake, name="intake"),
    path("mot-cua/ho-so/", views.dossier_list, name="list"),
    path("mot-cua/ho-so/<str:code>/", views.dossier_detail, name="detail"),
    path("mot-cua/ho-so/<str:code>/giay-tiep-nhan/", views.receipt, name="receipt"),
    path("mot-cua/ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="action"),
    path("mot-cua/ho-so/<str:code>/chuyen-xu-ly/", views.handover_picker, name="handover_picker"),
    path("mot-cua/ho-so/<str:code>/ket-qua-dien-tu/", views.issue_electronic_result, name="issue_result"),
    path("mot-cua/ho-so/<str:code>/ket-qua-dien-tu/<int:result_id>/", views.result_download, name="result_download"),
    path("mot-cua/ho-so/<str:code>/phieu/<slug:slug>/", views.dossier_pdf, name="pdf"),
    path("mot-cua/ho-so/<str:code>/tep/<int:doc_id>/", views.document_download, name="document"),
    path("mot-cua/so-theo-doi/", views.register_export, name="register"),
    path("mot-cua/thong-ke/", dashboard_views.dashboard, name="dashboard"),
    path("mot-cua/xin-loi/", apology_views.apologies, name="apologies"),
    # citizens
    path("dich-vu-cong/", views.portal_home, name="portal"),
    path("dich-vu-cong/nop/<int:pp_id>/", views.portal_file, name="portal_file"),
    path("dich-vu-cong/nop/<int:pp_id>/noi-nop/", views.portal_place, name="portal_place"),
    path("dich-vu-cong/ho-so-cua-toi/", views.portal_my_dossiers, name="portal_mine"),
    path("dich-vu-cong/ho-so/<str:code>/", views.portal_dossier, name="portal_dossier"),
    path("dich-vu-cong/ho-so/<str:code>/ket-qua/", views.portal_result_download, name="portal_result"),
    path("dich-vu-cong/ho-so/<str:code>/giay-tiep-nhan/", views.portal_receipt, name="portal_receipt"),
    # public
    path("tra-cuu-ho-so/", views.lookup, name="lookup"),
    path("tra-cuu-ho-so/danh-gia/", views.lookup_rate, name="rate"),
    path("tra-cuu-ho-so/ket-qua/", views.lookup_result_download, name="lookup_result"),
    path("tra-cuu-ho-so/kiem-tra-chu-ky/", views.verify_upload, name="verify"),
    path("cong-khai-xin-loi/", apology_views.public_apologies, name="public_apologies"),
    path("cong-khai/", public_views.public_transparency, name="public_transparency"),
]
