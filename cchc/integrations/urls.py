from django.urls import path

from . import views
from .notices import views as notice_views
from .postal import views as postal_views

app_name = "integrations"
urlpatterns = [
    path("dich-vu-cong/phi-le-phi/", views.my_fees, name="my_fees"),
    path("dich-vu-cong/phi-le-phi/<str:code>/thanh-toan/", views.pay, name="pay"),
    path("thanh-toan/ket-qua/", views.payment_return, name="payment_return"),
    path("thanh-toan/ipn/", views.payment_ipn, name="payment_ipn"),
    path("thanh-toan/bien-lai/<str:txn_ref>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("cong-thanh-toan-gia-lap/", views.fake_gateway, name="fake_gateway"),
    path("mot-cua/doi-soat-thanh-toan/", views.reconcile_page, name="payment_reconcile"),
    path("mot-cua/thanh-toan/<str:txn_ref>/", views.refund_page, name="payment_refund"),
    path("dich-vu-cong/buu-gui/", postal_views.my_shipments, name="postal_mine"),
    path("mot-cua/buu-gui/", postal_views.staff_shipments, name="postal_staff"),
    path("mot-cua/buu-gui/ban-giao/", postal_views.handover, name="postal_handover"),
    path("buu-gui/<str:waybill>/", postal_views.track, name="postal_track"),
    path("thong-bao/sms/esms-callback/", notice_views.esms_callback, name="esms_callback"),
    path("thong-bao/zalo/webhook/", notice_views.zalo_webhook, name="zalo_webhook"),
    path("mot-cua/thong-bao/<int:pk>/gui-lai/", notice_views.requeue, name="notice_requeue"),
]
