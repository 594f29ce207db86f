"""Bộ chỉ số 766 as data: versioned indicator sets (groups → indicators) and the figures the PAR office enters.

A set is never edited once created: the PAR office's changes make a new version (services.indicator_set_revise),
so a result computed with version 1 can always be recomputed with version 1.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import scoring


class IndicatorSet(models.Model):
    """Bộ chỉ số (phiên bản): one version of the Decision 766 indicator set, with its source."""

    family = models.CharField(max_length=40, default="qd766", verbose_name="họ bộ chỉ số")
    version = models.PositiveIntegerField(verbose_name="phiên bản")
    name = models.CharField(max_length=255, verbose_name="tên")
    decision_no = models.CharField(max_length=120, blank=True, verbose_name="văn bản")
    effective_from = models.DateField(verbose_name="áp dụng từ")
    confirmed = models.BooleanField(default=False, help_text="Điểm tối đa từng chỉ tiêu đã đối chiếu văn bản chính thức", verbose_name="đã xác nhận")
    source = models.TextField(blank=True, verbose_name="nguồn")
    notes = models.TextField(blank=True, verbose_name="ghi chú")
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="sửa từ phiên bản")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "bộ chỉ số 766"
        verbose_name_plural = "bộ chỉ số 766"
        ordering = ["family", "-version"]
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="uniq_serviceindex_set_version")]

    def __str__(self) -> str:
        return f"{self.name} (phiên bản {self.version})"


class IndicatorGroup(models.Model):
    """Nhóm chỉ số (CKMB, TDGQ, CLGQ, TTTT, MDHL, MDSH) with its maximum (confirmed: cs766.py "standard")."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="groups", verbose_name="bộ chỉ số")
    code = models.CharField(max_length=10, verbose_name="mã nhóm")
    name = models.CharField(max_length=255, verbose_name="tên nhóm")
    max_points = models.DecimalField(max_digits=6, decimal_places=2, verbose_name="điểm tối đa")
    position = models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")

    class Meta:
        verbose_name = "nhóm chỉ số"
        verbose_name_plural = "nhóm chỉ số"
        ordering = ["indicator_set", "position"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "code"], name="uniq_serviceindex_group")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Rule(models.TextChoices):
    LINEAR = scoring.LINEAR, "Tuyến tính (tỷ lệ × điểm tối đa ÷ 100)"
    CAPPED_LINEAR = scoring.CAPPED_LINEAR, "Đạt ngưỡng: đủ điểm; dưới ngưỡng: tỷ lệ × điểm tối đa ÷ ngưỡng"
    STEP = scoring.STEP, "Bậc thang theo ngưỡng"
    INFO = scoring.INFO, "Chỉ theo dõi, không tính điểm"


class InputSource(models.TextChoices):
    PLATFORM = "platform", "Tính từ hồ sơ trên nền tảng"
    ENTERED = "entered", "Cơ quan thường trực CCHC nhập"


class Indicator(models.Model):
    """Chỉ tiêu: numerator ÷ denominator × 100 (keys of `compute.STATISTICS`), target, max, rule, source."""

    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators", verbose_name="nhóm")
    code = models.CharField(max_length=10, verbose_name="mã chỉ tiêu")
    name = models.TextField(verbose_name="tên chỉ tiêu")
    numerator_key = models.CharField(max_length=60, verbose_name="khóa tử số")
    denominator_key = models.CharField(max_length=60, verbose_name="khóa mẫu số")
    input_source = models.CharField(max_length=10, choices=InputSource.choices, default=InputSource.PLATFORM, verbose_name="nguồn số liệu")
    target = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, verbose_name="ngưỡng đạt (%)")
    max_points = models.DecimalField(max_digits=6, decimal_places=2, verbose_name="điểm tối đa")
    max_confirmed = models.BooleanField(default=False, verbose_name="điểm tối đa đã xác nhận")
    rule = models.CharField(max_length=20, choices=Rule.choices, default=Rule.CAPPED_LINEAR, verbose_name="cách quy đổi điểm")
    steps = models.JSONField(default=dict, blank=True, help_text='Bậc thang {"95": 20, "90": 15}', verbose_name="bậc thang")
    citation = models.TextField(blank=True, verbose_name="nguồn công thức")
    position = models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")

    class Meta:
        verbose_name = "chỉ tiêu 766"
        verbose_name_plural = "chỉ tiêu 766"
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="uniq_serviceindex_indicator")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnteredFigure(models.Model):
    """Số liệu nhập: a figure the platform does not hold (publication on the national database, sync counts,
    PAKN), entered or imported by the PAR office for one province (or one unit) and one period."""

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="Trống: số liệu của cả tỉnh", verbose_name="đơn vị")
    period = models.CharField(max_length=10, help_text="YYYY-MM, YYYY-Qn hoặc YYYY", verbose_name="kỳ")
    indicator_code = models.CharField(max_length=10, verbose_name="mã chỉ tiêu")
    numerator = models.DecimalField(max_digits=14, decimal_places=2, verbose_name="tử số")
    denominator = models.DecimalField(max_digits=14, decimal_places=2, verbose_name="mẫu số")
    note = models.CharField(max_length=500, blank=True, help_text="Nguồn số liệu (ví dụ: Cổng DVCQG ngày …)", verbose_name="ghi chú nguồn")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người nhập")
    entered_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm nhập")

    class Meta:
        verbose_name = "số liệu nhập (766)"
        verbose_name_plural = "số liệu nhập (766)"
        ordering = ["province", "period", "indicator_code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "unit", "period", "indicator_code"], name="uniq_serviceindex_figure"),
            models.UniqueConstraint(fields=["province", "period", "indicator_code"], condition=models.Q(unit__isnull=True),
                                    name="uniq_serviceindex_figure_province"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.period}: {self.numerator}/{self.denominator}"
