"""Platform-wide records: the append-only, hash-chained audit log (nhật ký thao tác)."""

from django.conf import settings
from django.db import models


class AuditChainHead(models.Model):
    """Đầu chuỗi (one per stream, pk = stream number): the row that serialises appends to its stream (locked with select_for_update) and is
    its signed checkpoint — count and hash of the last event, HMAC-signed with the audit key (kept outside
    the database), rewritten in the same transaction as every append. `cchc audit verify` compares it.

    `keyed_from_seq`: events before it were written before keyed hashes existed (plain SHA-256); they stay
    verifiable and any change to them still breaks the link into the signed part of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0, verbose_name="số thứ tự cuối")
    last_hash = models.CharField(max_length=64, default="0" * 64, verbose_name="mã băm cuối")
    keyed_from_seq = models.BigIntegerField(default=1, verbose_name="mã băm có khóa từ số thứ tự")
    signature = models.CharField(max_length=64, blank=True, default="", verbose_name="chữ ký đầu chuỗi")
    streams = models.PositiveSmallIntegerField(default=1, verbose_name="số luồng (ở đầu chuỗi 1)")

    class Meta:
        verbose_name = "đầu chuỗi nhật ký"
        verbose_name_plural = "đầu chuỗi nhật ký"

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"


class AuditEvent(models.Model):
    """Nhật ký: one state change — who, when, what, from-state, to-state, reason.

    Append-only: every row carries the HMAC-SHA256 (key outside the database: setting AUDIT_KEY) of its
    content and of the previous row's hash, and the head row holds a signed checkpoint, so editing,
    deleting, re-hashing or removing rows is detected (`cchc audit verify`).
    """

    stream = models.PositiveSmallIntegerField(default=1, verbose_name="luồng")
    seq = models.BigIntegerField(verbose_name="số thứ tự trong luồng")
    at = models.DateTimeField(db_index=True, verbose_name="thời điểm")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người thực hiện")
    actor_label = models.CharField(max_length=200, blank=True, verbose_name="tên người thực hiện")
    action = models.CharField(max_length=80, db_index=True, verbose_name="hành động")
    object_type = models.CharField(max_length=80, db_index=True, verbose_name="loại đối tượng")
    object_id = models.CharField(max_length=80, db_index=True, verbose_name="mã đối tượng")
    from_state = models.CharField(max_length=40, blank=True, verbose_name="từ trạng thái")
    to_state = models.CharField(max_length=40, blank=True, verbose_name="sang trạng thái")
    reason = models.TextField(blank=True, verbose_name="lý do")
    data = models.JSONField(default=dict, blank=True, verbose_name="dữ liệu")
    prev_hash = models.CharField(max_length=64, verbose_name="mã băm trước")
    hash = models.CharField(max_length=64, unique=True, verbose_name="mã băm")

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="core_auditevent_stream_seq")]
        indexes = [models.Index(fields=["object_type", "object_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"
