"""Kiểm tra công tác cải cách hành chính: annual inspection plans, inspections with their team, findings,
recommendations with deadlines, follow-up reports from the inspected unit, and closure.

Statuses are constants checked in `workflow.py`; every change goes through `services.py` with an audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InspectionPlan(models.Model):
    """Kế hoạch kiểm tra CCHC năm: one province's inspection plan for one year."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    year = models.PositiveSmallIntegerField(verbose_name="năm")
    title = models.CharField(max_length=255, verbose_name="tên kế hoạch")
    document_number = models.CharField(max_length=80, blank=True, verbose_name="số văn bản")
    issued_on = models.DateField(null=True, blank=True, verbose_name="ngày ban hành")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "kế hoạch kiểm tra"
        verbose_name_plural = "kế hoạch kiểm tra"
        ordering = ["-year", "province__name"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="inspection_plan_province_year")]

    def __str__(self) -> str:
        return self.title


class InspectionStatus(models.TextChoices):
    """Trạng thái cuộc kiểm tra."""

    PLANNED = "planned", "Theo kế hoạch"
    CONDUCTED = "conducted", "Đã kiểm tra"
    CLOSED = "closed", "Đã kết thúc"
    CANCELLED = "cancelled", "Hủy"


class Inspection(models.Model):
    """Cuộc kiểm tra: one inspection of one unit by an interdisciplinary team (đoàn kiểm tra liên ngành)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspections", verbose_name="kế hoạch")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị được kiểm tra")
    scope = models.TextField(verbose_name="nội dung kiểm tra")
    planned_start = models.DateField(verbose_name="dự kiến từ ngày")
    planned_end = models.DateField(verbose_name="dự kiến đến ngày")
    actual_start = models.DateField(null=True, blank=True, verbose_name="thực tế từ ngày")
    actual_end = models.DateField(null=True, blank=True, verbose_name="thực tế đến ngày")
    status = models.CharField(max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED, db_index=True, verbose_name="trạng thái")
    conclusion_number = models.CharField(max_length=80, blank=True, verbose_name="số thông báo kết luận")
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm kết thúc")
    closure_note = models.TextField(blank=True, verbose_name="ghi chú kết thúc")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "cuộc kiểm tra"
        verbose_name_plural = "cuộc kiểm tra"
        ordering = ["planned_start", "pk"]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"Kiểm tra {self.unit} ({self.planned_start:%d/%m/%Y})"

    @property
    def leader(self):
        return next((m for m in self.members.all() if m.is_leader), None)


class InspectionMember(models.Model):
    """Thành viên đoàn kiểm tra, from one of several units; exactly one is the leader (trưởng đoàn)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members", verbose_name="cuộc kiểm tra")
    name = models.CharField(max_length=120, verbose_name="họ và tên")
    position = models.CharField(max_length=160, blank=True, verbose_name="chức vụ")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="cơ quan")
    is_leader = models.BooleanField(default=False, verbose_name="trưởng đoàn")

    class Meta:
        verbose_name = "thành viên đoàn kiểm tra"
        verbose_name_plural = "thành viên đoàn kiểm tra"
        ordering = ["-is_leader", "pk"]

    def __str__(self) -> str:
        return self.name


class Severity(models.TextChoices):
    """Mức độ của phát hiện."""

    NOTE = "note", "Lưu ý"
    MINOR = "minor", "Hạn chế"
    MAJOR = "major", "Vi phạm"
    SERIOUS = "serious", "Vi phạm nghiêm trọng"


class Conduct(models.TextChoices):
    """Hành vi của cán bộ, công chức bị phát hiện."""

    NONE = "", "—"
    HARASSMENT = "harassment", "Gây phiền hà, nhũng nhiễu người dân, doanh nghiệp"
    EXTRA_PAPERS = "extra_papers", "Yêu cầu thêm giấy tờ ngoài quy định"
    LATE_NO_APOLOGY = "late_no_apology", "Giải quyết trễ hạn, không xin lỗi"
    ATTITUDE = "attitude", "Thái độ, tác phong chưa đúng mực"
    OTHER = "other", "Khác"


class ActionTaken(models.TextChoices):
    """Hình thức xử lý đã áp dụng."""

    NONE = "", "—"
    REMINDER = "reminder", "Nhắc nhở"
    CRITICISM = "criticism", "Phê bình, kiểm điểm"
    REPRIMAND = "reprimand", "Kỷ luật khiển trách"
    WARNING = "warning", "Kỷ luật cảnh cáo"
    REASSIGNED = "reassigned", "Điều chuyển vị trí công tác"
    OTHER = "other", "Hình thức khác"


class Finding(models.Model):
    """Phát hiện (kết quả kiểm tra): a shortcoming found; optionally about one official's conduct."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name="cuộc kiểm tra")
    text = models.TextField(verbose_name="nội dung")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MINOR, verbose_name="mức độ")
    official_name = models.CharField(max_length=120, blank=True, verbose_name="cán bộ liên quan")
    official_position = models.CharField(max_length=160, blank=True, verbose_name="chức vụ cán bộ")
    conduct = models.CharField(max_length=20, choices=Conduct.choices, blank=True, default="", verbose_name="hành vi")
    action_taken = models.CharField(max_length=20, choices=ActionTaken.choices, blank=True, default="", verbose_name="hình thức xử lý")
    action_note = models.TextField(blank=True, verbose_name="ghi chú xử lý")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người ghi")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm ghi")

    class Meta:
        verbose_name = "phát hiện"
        verbose_name_plural = "phát hiện"
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def about_official(self) -> bool:
        return bool(self.official_name)


class RecommendationStatus(models.TextChoices):
    """Trạng thái kiến nghị (stored); "quá hạn" is derived: open and past its deadline on the date asked."""

    OPEN = "open", "Đang thực hiện"
    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành trễ hạn"
    CARRIED_OVER = "carried_over", "Chuyển tiếp theo dõi"


SETTLED_STATUSES = {RecommendationStatus.DONE_ON_TIME, RecommendationStatus.DONE_LATE, RecommendationStatus.CARRIED_OVER}


class Recommendation(models.Model):
    """Kiến nghị: what the inspected side must fix, by whom (đơn vị chịu trách nhiệm) and by when (hạn)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations", verbose_name="cuộc kiểm tra")
    finding = models.ForeignKey(Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendations", verbose_name="phát hiện")
    text = models.TextField(verbose_name="nội dung kiến nghị")
    responsible_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị thực hiện")
    deadline = models.DateField(verbose_name="hạn hoàn thành")
    status = models.CharField(max_length=14, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN, db_index=True, verbose_name="trạng thái")
    done_on = models.DateField(null=True, blank=True, verbose_name="ngày hoàn thành")
    carry_over_reason = models.TextField(blank=True, verbose_name="lý do chuyển tiếp")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "kiến nghị"
        verbose_name_plural = "kiến nghị"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["responsible_unit", "status", "deadline"])]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, as_of) -> bool:
        """Quá hạn: still open after the deadline day (the deadline day itself is still in time)."""
        return self.status == RecommendationStatus.OPEN and as_of > self.deadline


class FollowUp(models.Model):
    """Báo cáo kết quả thực hiện kiến nghị: one report from the responsible unit, with optional evidence."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="kiến nghị")
    text = models.TextField(verbose_name="nội dung báo cáo")
    completes = models.BooleanField(default=False, verbose_name="báo cáo hoàn thành")
    reported_on = models.DateField(verbose_name="ngày báo cáo")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người báo cáo")
    evidence = models.CharField(max_length=255, blank=True, verbose_name="tệp minh chứng")
    evidence_name = models.CharField(max_length=255, blank=True, verbose_name="tên tệp")
    evidence_type = models.CharField(max_length=100, blank=True, verbose_name="loại tệp")
    evidence_sha256 = models.CharField(max_length=64, blank=True, verbose_name="mã băm")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "báo cáo thực hiện kiến nghị"
        verbose_name_plural = "báo cáo thực hiện kiến nghị"
        ordering = ["recommendation", "reported_on", "pk"]

    def __str__(self) -> str:
        return f"Báo cáo {self.reported_on:%d/%m/%Y}"
