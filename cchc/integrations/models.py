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


class PaymentRefund(models.Model):
    """Hoàn tiền: one refund accepted by the gateway (VNPAY vnp_Command=refund); several partial refunds may follow
    one payment, their sum never exceeds the amount paid (services.payment_refund)."""

    FULL = "02"  # vnp_TransactionType: hoàn trả toàn phần
    PARTIAL = "03"  # hoàn trả một phần

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name="giao dịch")
    amount = models.DecimalField(max_digits=14, decimal_places=0, verbose_name="số tiền hoàn (đồng)")
    transaction_type = models.CharField(max_length=2, verbose_name="loại hoàn (02 toàn phần, 03 một phần)")
    request_id = models.CharField(max_length=32, unique=True, verbose_name="mã yêu cầu (vnp_RequestId)")
    response_code = models.CharField(max_length=4, verbose_name="mã phản hồi của cổng")
    gateway_txn_no = models.CharField(max_length=40, blank=True, verbose_name="mã giao dịch hoàn tại cổng")
    reason = models.CharField(max_length=500, verbose_name="lý do")
    created_at = models.DateTimeField(verbose_name="thời điểm hoàn")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người hoàn")

    class Meta:
        verbose_name = "lần hoàn tiền"
        verbose_name_plural = "lần hoàn tiền"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.payment.txn_ref} −{self.amount}"


class FakeGatewayTransaction(models.Model):
    """Sổ giao dịch của cổng thanh toán giả lập: what the LOCAL FAKE gateway itself knows (paid or not, amount,
    refunded), answered by its querydr/refund API; never used with a real gateway. Kept apart from Payment so that
    the reconciliation compares two independent records."""

    txn_ref = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    transaction_no = models.CharField(max_length=40)
    status = models.CharField(max_length=2)  # vnp_TransactionStatus: 00 thành công, 02 lỗi/huỷ
    pay_date = models.CharField(max_length=14)
    bank_code = models.CharField(max_length=20, blank=True)
    refunded_amount = models.DecimalField(max_digits=14, decimal_places=0, default=0)
    refund_request_ids = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "giao dịch cổng giả lập"
        verbose_name_plural = "giao dịch cổng giả lập"

    def __str__(self):
        return f"{self.txn_ref} ({self.status})"


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


class NoticeKind(models.TextChoices):
    """Loại thông báo gửi người nộp hồ sơ."""

    RECEIVED = "received", "Đã tiếp nhận hồ sơ"
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung hồ sơ"
    RESULT_READY = "result_ready", "Đã có kết quả"
    APOLOGY = "apology", "Thư xin lỗi, hẹn lại ngày trả"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    DELIVERED = "delivered", "Đã đến máy người nhận"
    FAILED = "failed", "Không gửi được"


class Notice(models.Model):
    """Thông báo cho người nộp hồ sơ: one event of a dossier (received, supplement needed, result ready, apology),
    written in the transaction of the dossier change; each channel is a NoticeDelivery."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="notices", verbose_name="hồ sơ")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices, verbose_name="loại thông báo")
    key = models.CharField(max_length=80, unique=True, verbose_name="khóa chống trùng")
    params = models.JSONField(default=dict, verbose_name="tham số")
    created_at = models.DateTimeField(verbose_name="thời điểm phát sinh")

    class Meta:
        verbose_name = "thông báo người nộp"
        verbose_name_plural = "thông báo người nộp"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.key} ({self.get_kind_display()})"


class NoticeDelivery(models.Model):
    """Một lần gửi thông báo qua một kênh (notice × channel, at most one), with its delivery status and retries."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name="thông báo")
    channel = models.CharField(max_length=10, verbose_name="kênh")
    recipient = models.CharField(max_length=255, verbose_name="người nhận (e-mail / số điện thoại)")
    status = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED, db_index=True, verbose_name="trạng thái")
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name="số lần gửi")
    next_attempt_at = models.DateTimeField(db_index=True, verbose_name="lần gửi tiếp theo")
    provider_id = models.CharField(max_length=80, blank=True, db_index=True, verbose_name="mã tin tại nhà cung cấp")
    last_error = models.CharField(max_length=500, blank=True, verbose_name="lỗi gần nhất")
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm gửi")
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm đến máy")

    class Meta:
        verbose_name = "lượt gửi thông báo"
        verbose_name_plural = "lượt gửi thông báo"
        ordering = ["notice_id", "channel"]
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="integrations_noticedelivery_once")]

    def __str__(self):
        return f"{self.notice_id}/{self.channel}: {self.status}"
