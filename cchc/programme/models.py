"""Kế hoạch CCHC: the annual PAR plan of a province or a unit, its tasks and their progress reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"


class Plan(models.Model):
    """Kế hoạch cải cách hành chính năm of one unit (the province itself or a department / commune)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị có kế hoạch")
    year = models.PositiveSmallIntegerField(verbose_name="năm kế hoạch")
    title = models.CharField(max_length=500, verbose_name="trích yếu")
    number = models.CharField(max_length=60, blank=True, verbose_name="số, ký hiệu văn bản")
    issued_on = models.DateField(null=True, blank=True, verbose_name="ngày ban hành")
    issuing_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="cơ quan ban hành")
    issue_deadline = models.DateField(verbose_name="hạn ban hành",
                                      help_text="Mặc định 31/12 năm trước (PROGRAMME_PLAN_DEADLINE); sửa theo quy định của tỉnh")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT, verbose_name="trạng thái")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="người tạo")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")
    version = models.PositiveIntegerField(default=1, verbose_name="phiên bản")

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["-year", "unit__name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="programme_plan_unit_year")]

    def __str__(self) -> str:
        return f"{self.number or 'Dự thảo'} — {self.title}"

    @property
    def issued_on_time(self) -> bool | None:
        """Ban hành đúng hạn: issued on or before the deadline (the deadline day itself is on time); None while a
        draft whose deadline has not passed is still undecided — callers pass today to `rules.plan_on_time`."""
        from .rules import plan_on_time

        return plan_on_time(self.issued_on if self.status == PlanStatus.ISSUED else None, self.issue_deadline, today=None)


class TaskKind(models.TextChoices):
    REGULAR = "regular", "Nhiệm vụ"
    PRESS_BRIEFING = "press_briefing", "Tuyên truyền: họp báo"
    ARTICLE = "article", "Tuyên truyền: tin, bài, phóng sự"
    CONTEST = "contest", "Tuyên truyền: cuộc thi"
    BUSINESS_MEETING = "business_meeting", "Đối thoại, gặp gỡ doanh nghiệp"
    VOTER_PETITIONS = "voter_petitions", "Kiến nghị cử tri về thủ tục hành chính"


COMMUNICATION_KINDS = (TaskKind.PRESS_BRIEFING, TaskKind.ARTICLE, TaskKind.CONTEST)
MEETING_KINDS = (TaskKind.BUSINESS_MEETING, TaskKind.VOTER_PETITIONS)


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    CANCELLED = "cancelled", "Hủy bỏ"


PAR_FIELDS = [
    (1, "Công tác chỉ đạo, điều hành CCHC"),
    (2, "Cải cách thể chế"),
    (3, "Cải cách thủ tục hành chính"),
    (4, "Cải cách tổ chức bộ máy"),
    (5, "Cải cách chế độ công vụ"),
    (6, "Cải cách tài chính công"),
    (7, "Xây dựng, phát triển Chính phủ điện tử, Chính phủ số"),
    (8, "Tác động của CCHC đến người dân, tổ chức"),
]


class PlanTask(models.Model):
    """Nhiệm vụ của kế hoạch: content, unit in charge (đơn vị chủ trì), head responsible, deadline, output."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch")
    order = models.PositiveIntegerField(default=0, verbose_name="số thứ tự")
    field = models.PositiveSmallIntegerField(null=True, blank=True, choices=PAR_FIELDS, verbose_name="lĩnh vực CCHC")
    content = models.TextField(verbose_name="nội dung nhiệm vụ")
    kind = models.CharField(max_length=20, choices=TaskKind.choices, default=TaskKind.REGULAR, verbose_name="loại nhiệm vụ")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị chủ trì")
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="người đứng đầu chịu trách nhiệm")
    cooperating = models.ManyToManyField("units.Unit", blank=True, related_name="+", verbose_name="đơn vị phối hợp")
    deadline = models.DateField(verbose_name="thời hạn hoàn thành")
    expected_output = models.CharField(max_length=500, blank=True, verbose_name="sản phẩm dự kiến")
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, verbose_name="chỉ tiêu")
    target_unit = models.CharField(max_length=60, blank=True, verbose_name="đơn vị tính của chỉ tiêu")
    achieved_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True, verbose_name="kết quả đạt được")
    status = models.CharField(max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED, db_index=True,
                              verbose_name="trạng thái")
    completed_on = models.DateField(null=True, blank=True, verbose_name="ngày hoàn thành")
    version = models.PositiveIntegerField(default=1, verbose_name="phiên bản")

    class Meta:
        verbose_name = "nhiệm vụ kế hoạch CCHC"
        verbose_name_plural = "nhiệm vụ kế hoạch CCHC"
        ordering = ["plan", "order", "id"]
        indexes = [models.Index(fields=["unit", "deadline"])]

    def __str__(self) -> str:
        return self.content[:80]

    def timeliness(self, today):
        from .rules import task_timeliness

        return task_timeliness(deadline=self.deadline, status=self.status, completed_on=self.completed_on, today=today)


class ProgressReport(models.Model):
    """Báo cáo tiến độ of a task, with an optional evidence file (minh chứng) stored like dossier documents."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="reports", verbose_name="nhiệm vụ")
    reported_on = models.DateField(verbose_name="ngày báo cáo")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người báo cáo")
    content = models.TextField(verbose_name="nội dung")
    percent = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="tiến độ (%)")
    file_path = models.CharField(max_length=500, blank=True, verbose_name="tệp minh chứng")
    original_name = models.CharField(max_length=255, blank=True, verbose_name="tên tệp gốc")
    content_type = models.CharField(max_length=100, blank=True, verbose_name="loại tệp")
    size = models.PositiveIntegerField(default=0, verbose_name="dung lượng")
    sha256 = models.CharField(max_length=64, blank=True, verbose_name="mã băm SHA-256")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["task", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.reported_on}: {self.content[:60]}"
