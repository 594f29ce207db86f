from django.conf import settings
from django.db import models


class PaymentState(models.TextChoices):
    PENDING = "pending", "Chờ thanh toán"
    PAID = "paid", "Đã thanh toán"
    FAILED = "failed", "Không thành công"
    REFUNDED = "refunded", "Đã hoàn tiền"


class Payment(models.Model):
    """Giao dịch thanh toán trực tuyến phí, lệ phí của một hồ sơ (one attempt at the gateway)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="online_payments", verbose_name="hồ sơ")
    gateway = models.CharField(max_length=20, verbose_name="cổng thanh toán")
    txn_ref = models.CharField(max_length=40, unique=True, verbose_name="mã giao dịch gửi cổng (vnp_TxnRef)")
    amount = models.DecimalField(max_digits=14, decimal_places=0, verbose_name="số tiền (đồng)")
    status = models.CharField(max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING, db_index=True, verbose_name="trạng thái")
    gateway_txn_no = models.CharField(max_length=40, blank=True, verbose_name="mã giao dịch tại cổng")
    bank_code = models.CharField(max_length=20, blank=True, verbose_name="ngân hàng")
    response_code = models.CharField(max_length=4, blank=True, verbose_name="mã phản hồi của cổng")
    created_at = models.DateTimeField(verbose_name="thời điểm tạo")
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name="thời điểm thanh toán")
    receipt_number = models.CharField(max_length=30, blank=True, verbose_name="số biên lai điện tử")
    refunded_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm hoàn tiền")
    refund_reason = models.CharField(max_length=500, blank=True, verbose_name="lý do hoàn tiền")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tạo")

    class Meta:
        verbose_name = "giao dịch thanh toán"
        verbose_name_plural = "giao dịch thanh toán"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["receipt_number"], condition=~models.Q(receipt_number=""), name="integrations_payment_receipt_unique")]

    def __str__(self):
        return f"{self.txn_ref} ({self.get_status_display()})"


class ShipmentState(models.TextChoices):
    ACCEPTED = "accepted", "Bưu điện đã nhận"
    IN_TRANSIT = "in_transit", "Đang vận chuyển"
    DELIVERED = "delivered", "Đã phát thành công"
    FAILED = "failed", "Phát không thành công"
    RETURNED = "returned", "Đã chuyển hoàn"


SHIPMENT_FINAL = {ShipmentState.DELIVERED, ShipmentState.RETURNED}


class PostalShipment(models.Model):
    """Bưu gửi: a dossier's result handed over to the public postal service for delivery to the applicant."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="postal_shipments", verbose_name="hồ sơ")
    carrier = models.CharField(max_length=20, verbose_name="đơn vị bưu chính")
    waybill = models.CharField(max_length=30, unique=True, verbose_name="số hiệu bưu gửi")
    fee = models.DecimalField(max_digits=12, decimal_places=0, default=0, verbose_name="cước (đồng)")
    status = models.CharField(max_length=12, choices=ShipmentState.choices, default=ShipmentState.ACCEPTED, db_index=True, verbose_name="trạng thái")
    handed_over_at = models.DateTimeField(db_index=True, verbose_name="thời điểm bàn giao")
    status_at = models.DateTimeField(verbose_name="thời điểm trạng thái")
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người bàn giao")

    class Meta:
        verbose_name = "bưu gửi trả kết quả"
        verbose_name_plural = "bưu gửi trả kết quả"
        ordering = ["-handed_over_at", "-id"]

    def __str__(self):
        return f"{self.waybill} ({self.get_status_display()})"


class PostalEvent(models.Model):
    """Một lần cập nhật hành trình bưu gửi (from the carrier)."""

    shipment = models.ForeignKey(PostalShipment, on_delete=models.CASCADE, related_name="events", verbose_name="bưu gửi")
    status = models.CharField(max_length=12, choices=ShipmentState.choices, verbose_name="trạng thái")
    at = models.DateTimeField(verbose_name="thời điểm")
    note = models.CharField(max_length=200, blank=True, verbose_name="ghi chú")

    class Meta:
        verbose_name = "hành trình bưu gửi"
        verbose_name_plural = "hành trình bưu gửi"
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["shipment", "status"], name="integrations_postalevent_once")]

    def __str__(self):
        return f"{self.shipment_id}: {self.status} {self.at:%d/%m/%Y %H:%M}"
