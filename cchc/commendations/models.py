"""Khen thưởng công tác CCHC: rules the PAR office sets per year, proposals computed from them with the basis
stated per candidate, the office's edits (with reasons) and the final list with the decision number."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RuleKind(models.TextChoices):
    """Loại tiêu chí đề nghị khen thưởng."""

    INDEX_TOP_N = "index_top_n", "Thuộc nhóm N đơn vị dẫn đầu Chỉ số CCHC nội bộ"
    NO_LATE_DOSSIERS = "no_late_dossiers", "Không có hồ sơ trễ hạn trong năm"
    PLAN_TASKS_ON_TIME = "plan_tasks_on_time", "Hoàn thành đúng hạn mọi nhiệm vụ kế hoạch CCHC trong năm"


class Form(models.TextChoices):
    """Hình thức khen thưởng (higher first)."""

    PROVINCIAL_MERIT = "provincial_merit", "Bằng khen của Chủ tịch UBND tỉnh"
    CERTIFICATE = "certificate", "Giấy khen"


FORM_ORDER = [Form.PROVINCIAL_MERIT, Form.CERTIFICATE]


class CommendationRule(models.Model):
    """Tiêu chí đề nghị khen thưởng: one rule of one province for one year and one form."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    year = models.PositiveSmallIntegerField(verbose_name="năm")
    kind = models.CharField(max_length=20, choices=RuleKind.choices, verbose_name="loại tiêu chí")
    form = models.CharField(max_length=20, choices=Form.choices, verbose_name="hình thức")
    cycle = models.ForeignKey("indices.AssessmentCycle", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name="kỳ đánh giá")
    top_n = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="số đơn vị dẫn đầu")
    min_settled = models.PositiveIntegerField(default=1, verbose_name="số hồ sơ giải quyết tối thiểu")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "tiêu chí khen thưởng"
        verbose_name_plural = "tiêu chí khen thưởng"
        ordering = ["-year", "form", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.year})"


class ProposalStatus(models.TextChoices):
    """Trạng thái danh sách."""

    DRAFT = "draft", "Đang đề nghị"
    DECIDED = "decided", "Đã có quyết định"


class Proposal(models.Model):
    """Danh sách đề nghị khen thưởng CCHC năm: computed from the rules, edited, then decided (immutable after)."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    year = models.PositiveSmallIntegerField(verbose_name="năm")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, verbose_name="trạng thái")
    computed_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm tính")
    decision_number = models.CharField(max_length=80, blank=True, verbose_name="số quyết định")
    decision_date = models.DateField(null=True, blank=True, verbose_name="ngày quyết định")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người ghi quyết định")

    class Meta:
        verbose_name = "danh sách khen thưởng"
        verbose_name_plural = "danh sách khen thưởng"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="commendation_proposal_province_year")]

    def __str__(self) -> str:
        return f"Khen thưởng CCHC năm {self.year}"


class Candidate(models.Model):
    """Đơn vị hoặc cá nhân trong danh sách, with the form and the basis (căn cứ) stated."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="candidates", verbose_name="danh sách")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    official_name = models.CharField(max_length=120, blank=True, verbose_name="họ tên cá nhân")
    official_position = models.CharField(max_length=200, blank=True, verbose_name="chức vụ, đơn vị công tác")
    form = models.CharField(max_length=20, choices=Form.choices, verbose_name="hình thức")
    basis = models.TextField(verbose_name="căn cứ đề nghị")
    facts = models.JSONField(default=dict, blank=True, verbose_name="số liệu căn cứ")
    manual = models.BooleanField(default=False, verbose_name="bổ sung thủ công")
    added_reason = models.TextField(blank=True, verbose_name="lý do bổ sung")
    removed = models.BooleanField(default=False, verbose_name="đã loại")
    removed_reason = models.TextField(blank=True, verbose_name="lý do loại")

    class Meta:
        verbose_name = "đối tượng đề nghị"
        verbose_name_plural = "đối tượng đề nghị"
        ordering = ["proposal", "form", "pk"]

    def __str__(self) -> str:
        return self.official_name or (self.unit.name if self.unit_id else "")

    @property
    def label(self) -> str:
        if self.official_name:
            return f"{self.official_name}{', ' + self.official_position if self.official_position else ''}"
        return self.unit.name if self.unit_id else ""
