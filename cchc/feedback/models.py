"""Phản ánh, kiến nghị (PAKN) of citizens and businesses, and dialogues (hội nghị đối thoại) between heads and citizens.

Legal basis: Decree 20/2008/NĐ-CP as amended by Decree 92/2017/NĐ-CP (docs/feedback.md). The answer deadline is stored
on each feedback with the number of working days and the calendar version that produced it (style.md §4).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    """Loại: phản ánh (a report of a problem) or kiến nghị (a proposal to change something)."""

    REFLECTION = "phan_anh", "Phản ánh"
    RECOMMENDATION = "kien_nghi", "Kiến nghị"


class Channel(models.TextChoices):
    """Kênh tiếp nhận."""

    PORTAL = "portal", "Cổng dịch vụ công"
    COUNTER = "counter", "Trực tiếp tại bộ phận một cửa"
    DIALOGUE = "dialogue", "Hội nghị đối thoại"
    HOTLINE = "hotline", "Đường dây nóng"
    MAIL = "mail", "Thư, văn bản"


class Subject(models.TextChoices):
    """Nội dung liên quan: a procedure, a regulation, or an official's conduct."""

    PROCEDURE = "procedure", "Thủ tục hành chính"
    REGULATION = "regulation", "Quy định hành chính"
    CONDUCT = "conduct", "Hành vi, thái độ của cán bộ, công chức"


class Status(models.TextChoices):
    """Trạng thái: received → classified → routed → answered → published; rejected (không thuộc phạm vi)."""

    RECEIVED = "received", "Đã tiếp nhận"
    CLASSIFIED = "classified", "Đã phân loại"
    ROUTED = "routed", "Đã chuyển đơn vị xử lý"
    ANSWERED = "answered", "Đã trả lời"
    PUBLISHED = "published", "Đã công khai"
    REJECTED = "rejected", "Không thuộc phạm vi xử lý"


OPEN_STATUSES = (Status.RECEIVED, Status.CLASSIFIED, Status.ROUTED)
ANSWERED_STATUSES = (Status.ANSWERED, Status.PUBLISHED)


class Feedback(models.Model):
    """Phản ánh, kiến nghị: one feedback of a citizen or business about a procedure, a regulation or an official."""

    code = models.CharField(max_length=40, unique=True, verbose_name="mã phản ánh")
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True, verbose_name="loại")
    channel = models.CharField(max_length=12, choices=Channel.choices, db_index=True, verbose_name="kênh tiếp nhận")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True, verbose_name="trạng thái")
    title = models.CharField(max_length=300, verbose_name="tiêu đề")
    content = models.TextField(verbose_name="nội dung")
    # sender (người gửi): an account, or a person entered at the counter / from a dialogue / hotline / mail
    sender_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="feedbacks", verbose_name="tài khoản người gửi")
    sender_name = models.CharField(max_length=255, verbose_name="họ tên người gửi")
    sender_is_organisation = models.BooleanField(default=False, verbose_name="là tổ chức, doanh nghiệp")
    sender_phone = models.CharField(max_length=20, blank=True, verbose_name="điện thoại")
    sender_email = models.CharField(max_length=254, blank=True, verbose_name="thư điện tử")
    sender_address = models.CharField(max_length=500, blank=True, verbose_name="địa chỉ")
    sender_id_number = models.CharField(max_length=20, blank=True, verbose_name="số định danh / mã số doanh nghiệp")
    # what it is about
    procedure = models.ForeignKey("catalog.Procedure", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="thủ tục")
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="hồ sơ")
    subject = models.CharField(max_length=12, choices=Subject.choices, blank=True, verbose_name="nội dung liên quan")
    field = models.CharField(max_length=255, blank=True, verbose_name="lĩnh vực")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị xử lý")
    dialogue_issue = models.OneToOneField("DialogueIssue", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback", verbose_name="vấn đề nêu tại đối thoại")
    # the clock
    received_at = models.DateTimeField(db_index=True, verbose_name="thời điểm tiếp nhận")
    classify_due = models.DateField(verbose_name="hạn phân loại, chuyển xử lý")
    due_date = models.DateField(db_index=True, verbose_name="hạn trả lời")
    answer_days = models.PositiveSmallIntegerField(verbose_name="số ngày làm việc để trả lời")
    calendar_stamp = models.CharField(max_length=80, blank=True, verbose_name="phiên bản lịch")
    classified_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm phân loại")
    routed_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm chuyển xử lý")
    # the outcome
    answer = models.TextField(blank=True, verbose_name="nội dung trả lời")
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="người trả lời")
    answered_at = models.DateTimeField(null=True, blank=True, db_index=True, verbose_name="thời điểm trả lời")
    answered_on = models.DateField(null=True, blank=True, verbose_name="ngày trả lời (giờ Việt Nam)")
    reject_reason = models.TextField(blank=True, verbose_name="lý do không xử lý")
    is_published = models.BooleanField(default=False, db_index=True, verbose_name="đã công khai")
    public_summary = models.TextField(blank=True, verbose_name="tóm tắt công khai (không có thông tin cá nhân)")
    published_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm công khai")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người nhập")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["province", "received_at"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Dialogue(models.Model):
    """Hội nghị đối thoại: a meeting where a unit's head answers citizens and businesses."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị tổ chức")
    held_on = models.DateField(db_index=True, verbose_name="ngày tổ chức")
    title = models.CharField(max_length=300, verbose_name="tên hội nghị")
    chaired_by = models.CharField(max_length=255, verbose_name="người chủ trì (họ tên, chức vụ)")
    location = models.CharField(max_length=255, blank=True, verbose_name="địa điểm")
    participants_count = models.PositiveIntegerField(default=0, verbose_name="số người tham dự")
    summary = models.TextField(blank=True, verbose_name="kết luận")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người nhập")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "hội nghị đối thoại"
        verbose_name_plural = "hội nghị đối thoại"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class DialogueIssue(models.Model):
    """Vấn đề nêu tại đối thoại: a question raised, the answer given there; may become a feedback (channel dialogue)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="issues", verbose_name="hội nghị")
    raised_by = models.CharField(max_length=255, blank=True, verbose_name="người nêu")
    content = models.TextField(verbose_name="nội dung")
    answer = models.TextField(blank=True, verbose_name="trả lời tại hội nghị")

    class Meta:
        verbose_name = "vấn đề nêu tại đối thoại"
        verbose_name_plural = "vấn đề nêu tại đối thoại"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.content[:80]


class DialogueFollowUp(models.Model):
    """Nhiệm vụ sau đối thoại: what a unit must do, by when (the `programme` app may link to it later)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="hội nghị")
    content = models.TextField(verbose_name="nội dung nhiệm vụ")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị thực hiện")
    deadline = models.DateField(verbose_name="hạn hoàn thành")
    done_on = models.DateField(null=True, blank=True, verbose_name="ngày hoàn thành")

    class Meta:
        verbose_name = "nhiệm vụ sau đối thoại"
        verbose_name_plural = "nhiệm vụ sau đối thoại"
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.content[:80]
