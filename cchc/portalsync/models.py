"""National-portal synchronisation (đồng bộ Cổng Dịch vụ công quốc gia): the outbox and the local fake portal.

- PortalEvent: one dossier status change to tell the national portal, written in the transaction of the change
  (outbox pattern); `event_id` is the idempotency key; `seq` orders a dossier's events.
- FakePortalReceipt / FakePortalDossier / FakePortalControl: the local fake portal (what it received, the status
  it holds per dossier code, and a switch to make it fail).
"""

import uuid

from django.db import models


class EventKind(models.TextChoices):
    """Trạng thái hồ sơ gửi Cổng DVC quốc gia."""

    RECEIVED = "received", "Đã tiếp nhận"
    IN_PROCESS = "in_process", "Đang xử lý"
    SUPPLEMENT = "supplement_requested", "Yêu cầu bổ sung"
    PAUSED = "paused", "Tạm dừng"
    COMPLETED = "completed", "Đã có kết quả"
    RETURNED = "returned", "Đã trả kết quả"
    REJECTED = "rejected", "Từ chối / trả lại hồ sơ"
    WITHDRAWN = "withdrawn", "Rút hồ sơ"


class SendState(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    RETRYING = "retrying", "Lỗi, sẽ gửi lại"
    DEAD = "dead", "Gửi thất bại (ngừng thử)"


class PortalEvent(models.Model):
    """Sự kiện đồng bộ hồ sơ (hộp thư đi)."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name="mã sự kiện")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="portal_events")
    dossier_code = models.CharField(max_length=60, verbose_name="mã hồ sơ")
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(verbose_name="thứ tự trong hồ sơ")
    kind = models.CharField(max_length=32, choices=EventKind.choices, verbose_name="trạng thái gửi")
    occurred_at = models.DateTimeField(verbose_name="thời điểm")
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=16, choices=SendState.choices, default=SendState.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện đồng bộ Cổng DVC quốc gia"
        verbose_name_plural = "sự kiện đồng bộ Cổng DVC quốc gia"
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="portalsync_event_dossier_seq_uniq")]
        indexes = [models.Index(fields=["state", "next_attempt_at"]), models.Index(fields=["province", "state"])]

    def __str__(self) -> str:
        return f"{self.dossier_code} #{self.seq} {self.kind}"


class FakePortalReceipt(models.Model):
    """Cổng giả lập: each event it accepted, once per event_id."""

    event_id = models.UUIDField(unique=True)
    dossier_code = models.CharField(max_length=60, db_index=True)
    kind = models.CharField(max_length=32)
    seq = models.PositiveIntegerField()
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.dossier_code} {self.kind}"


class FakePortalDossier(models.Model):
    """Cổng giả lập: the status it holds for one dossier code (last event by seq)."""

    dossier_code = models.CharField(max_length=60, unique=True)
    province_code = models.CharField(max_length=20, db_index=True)
    status = models.CharField(max_length=32)
    seq = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.dossier_code} {self.status}"


class FakePortalControl(models.Model):
    """Cổng giả lập: fail the next N calls, or every call (tests, demo, operators' drills)."""

    fail_next = models.PositiveIntegerField(default=0)
    fail_always = models.BooleanField(default=False)
    fail_codes = models.TextField(blank=True, help_text="Mã hồ sơ luôn bị từ chối, mỗi dòng một mã")

    def __str__(self) -> str:
        return f"fail_next={self.fail_next} always={self.fail_always}"
