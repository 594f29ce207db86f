"""Queue tickets at a service centre (lấy số thứ tự): field groups, counters, tickets and their daily numbering.

A service centre (Trung tâm phục vụ hành chính công, or a commune's Bộ phận một cửa) is a `units.Unit` of kind
SERVICE_CENTRE or ONE_STOP_DESK; its floor has counters (quầy) that serve field groups (nhóm lĩnh vực).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FieldGroup(models.Model):
    """Nhóm lĩnh vực: the fields (lĩnh vực) a queue serves, with the prefix letter of its tickets (A012)."""

    centre = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="queue_groups", verbose_name="trung tâm")
    prefix = models.CharField(max_length=2, verbose_name="chữ cái đầu số", help_text="Tiền tố số thứ tự, ví dụ A")
    name = models.CharField(max_length=200, verbose_name="tên nhóm lĩnh vực")
    fields = models.TextField(blank=True, verbose_name="lĩnh vực", help_text="Các lĩnh vực trong danh mục thủ tục, phân cách bằng dấu ;")
    default_service_minutes = models.PositiveSmallIntegerField(default=10, verbose_name="thời gian phục vụ bình quân (phút)")
    slot_capacity = models.PositiveSmallIntegerField(default=4, verbose_name="số lượt hẹn mỗi khung 30 phút")
    position = models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự hiển thị")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")

    class Meta:
        verbose_name = "nhóm lĩnh vực"
        verbose_name_plural = "nhóm lĩnh vực"
        ordering = ["centre_id", "position", "prefix"]
        constraints = [models.UniqueConstraint(fields=["centre", "prefix"], name="counters_group_prefix_unique")]

    def __str__(self) -> str:
        return f"{self.prefix} · {self.name}"

    def field_list(self) -> list[str]:
        return [f.strip() for f in self.fields.split(";") if f.strip()]


class Counter(models.Model):
    """Quầy: one desk on the floor, serving one or more field groups."""

    centre = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="queue_counters", verbose_name="trung tâm")
    number = models.PositiveSmallIntegerField(verbose_name="số quầy")
    name = models.CharField(max_length=200, blank=True, verbose_name="tên quầy")
    groups = models.ManyToManyField(FieldGroup, related_name="counters", verbose_name="nhóm lĩnh vực phục vụ")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")

    class Meta:
        verbose_name = "quầy"
        verbose_name_plural = "quầy"
        ordering = ["centre_id", "number"]
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="counters_counter_number_unique")]

    def __str__(self) -> str:
        return f"Quầy số {self.number}"


class TicketSequence(models.Model):
    """Bộ đếm số thứ tự: the last number issued for one field group on one day; locked to issue the next one."""

    group = models.ForeignKey(FieldGroup, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "day"], name="counters_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.day}: {self.last_number}"


class Channel(models.TextChoices):
    KIOSK = "kiosk", "Máy lấy số tại trung tâm"
    ONLINE = "online", "Lấy số / đặt lịch trực tuyến"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "Đang chờ"
    CALLED = "called", "Đã gọi"
    SERVING = "serving", "Đang phục vụ"
    DONE = "done", "Đã phục vụ xong"
    SKIPPED = "skipped", "Gọi không có mặt (bỏ qua)"
    NO_SHOW = "no_show", "Không đến (hết ngày)"
    TRANSFERRED = "transferred", "Đã chuyển quầy / lĩnh vực"


ACTIVE_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)
FINAL_STATUSES = (TicketStatus.DONE, TicketStatus.SKIPPED, TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED)


class Ticket(models.Model):
    """Số thứ tự: one citizen's place in a field group's queue on one day (A012).

    `number` restarts at 1 each day for each field group. A transferred ticket keeps its printed code: the
    transfer closes this row (TRANSFERRED) and opens a continuation (`transferred_from`) in the target queue.
    """

    centre = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="queue_tickets", verbose_name="trung tâm")
    group = models.ForeignKey(FieldGroup, on_delete=models.PROTECT, related_name="tickets", verbose_name="nhóm lĩnh vực")
    day = models.DateField(db_index=True, verbose_name="ngày")
    number = models.PositiveIntegerField(verbose_name="số")
    code = models.CharField(max_length=12, verbose_name="số thứ tự")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.KIOSK, verbose_name="kênh lấy số")
    status = models.CharField(max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING, db_index=True, verbose_name="trạng thái")
    issued_at = models.DateTimeField(verbose_name="thời điểm lấy số")
    estimated_wait_minutes = models.PositiveIntegerField(default=0, verbose_name="thời gian chờ dự kiến (phút)")
    appointment_start = models.DateTimeField(null=True, blank=True, verbose_name="giờ hẹn")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_tickets", verbose_name="người đặt lịch")
    target_counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="chuyển tới quầy")
    counter = models.ForeignKey(Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets", verbose_name="quầy")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="công chức")
    called_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm gọi")
    last_called_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name="lần gọi gần nhất")
    call_count = models.PositiveSmallIntegerField(default=0, verbose_name="số lần gọi")
    served_at = models.DateTimeField(null=True, blank=True, verbose_name="bắt đầu phục vụ")
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name="kết thúc")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_tickets", verbose_name="hồ sơ tiếp nhận")
    transferred_from = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="transferred_to", verbose_name="chuyển từ")
    version = models.PositiveIntegerField(default=1, verbose_name="phiên bản")

    class Meta:
        verbose_name = "số thứ tự"
        verbose_name_plural = "số thứ tự"
        ordering = ["day", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "day", "number"], condition=Q(transferred_from__isnull=True), name="counters_ticket_number_unique"),
        ]
        indexes = [models.Index(fields=["centre", "day", "status"]), models.Index(fields=["group", "day", "status"])]

    def __str__(self) -> str:
        return self.code
