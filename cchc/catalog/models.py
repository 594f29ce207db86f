"""Procedure catalogue (danh mục thủ tục hành chính) and what each province publishes of it."""

from django.db import models

from cchc.core.textfold import fold


class TimeUnit(models.TextChoices):
    """Đơn vị thời hạn giải quyết."""

    WORKING_DAYS = "working_days", "Ngày làm việc"
    CALENDAR_DAYS = "calendar_days", "Ngày"
    WORKING_HOURS = "working_hours", "Giờ làm việc"
    SAME_DAY = "same_day", "Trong ngày"
    UNKNOWN = "unknown", "Không rõ"


class OnlineLevel(models.TextChoices):
    """Mức độ dịch vụ công trực tuyến."""

    NONE = "none", "Không trực tuyến"
    PARTIAL = "partial", "Một phần"
    FULL = "full", "Toàn trình"


class Procedure(models.Model):
    """Thủ tục hành chính: one procedure of the national catalogue (mã thủ tục, e.g. 1.001193)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.TextField()
    name_folded = models.TextField(editable=False, db_index=False)
    field = models.CharField(max_length=255, blank=True, help_text="Lĩnh vực")
    levels = models.CharField(max_length=255, blank=True, help_text="Cấp thực hiện")
    issuing_agency = models.CharField(max_length=255, blank=True, help_text="Cơ quan ban hành")
    implementing_agency = models.TextField(blank=True, help_text="Cơ quan thực hiện")
    decision_no = models.CharField(max_length=255, blank=True, help_text="Quyết định công bố")
    channels = models.CharField(max_length=120, blank=True, help_text="trực tiếp; bưu chính; trực tuyến")
    has_online_channel = models.BooleanField(default=False)
    fee_text = models.TextField(blank=True, help_text="Phí, lệ phí")
    time_raw = models.TextField(blank=True, help_text="Thời hạn giải quyết, nguyên văn")
    time_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(max_length=20, choices=TimeUnit.choices, default=TimeUnit.UNKNOWN)
    time_ambiguous = models.BooleanField(default=False, help_text="Thời hạn cần xác minh (số không đơn vị, 'Ngày')")
    data_note = models.TextField(blank=True, help_text="Ghi chú chất lượng dữ liệu")
    source_url = models.URLField(max_length=500, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class ProvinceProcedure(models.Model):
    """TTHC áp dụng tại tỉnh: a procedure a province applies, where, how fast and how online.

    One row per (province, procedure, effective_from): a later decision adds a new row; a dossier
    keeps the row that applied on its receipt date.
    """

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="published_procedures")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="publications")
    desk = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="desk_procedures",
        help_text="Nơi tiếp nhận",
    )
    handling_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_procedures",
        help_text="Cơ quan giải quyết",
    )
    level = models.CharField(max_length=20, blank=True, help_text="province | commune")
    time_value = models.DecimalField(max_digits=8, decimal_places=2)
    time_unit = models.CharField(max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS)
    online_level = models.CharField(max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    accepts_post = models.BooleanField(default=True)
    fee_amount = models.DecimalField(max_digits=14, decimal_places=0, default=0)
    decision_no = models.CharField(max_length=120, blank=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["procedure__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "procedure", "level", "effective_from"], name="uniq_province_procedure_version")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.province.code} ({self.effective_from})"
