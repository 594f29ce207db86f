"""Models of cchc.calendar: the editable layer over the computed working-day calendar."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class HolidayOverride(models.Model):
    """Điều chỉnh ngày nghỉ / ngày làm việc: one date made a day off or a working day by a notice.

    Overrides the public holidays computed by the `holidays` package (Bộ luật Lao động 2019, Điều 112).
    `province` empty = national (toàn quốc); a province row applies to that province only and wins over a
    national row on the same date.
    """

    date = models.DateField("ngày", db_index=True)
    is_working_day = models.BooleanField(
        "là ngày làm việc", default=False,
        help_text="Bật: ngày làm việc (ví dụ thứ Bảy làm bù). Tắt: ngày nghỉ (nghỉ lễ, nghỉ bù, nghỉ do hoán đổi).",
    )
    name = models.CharField("tên / lý do", max_length=255)
    legal_document = models.CharField("số hiệu văn bản", max_length=255, blank=True)
    source_url = models.URLField("nguồn", max_length=500, blank=True)
    note = models.TextField("ghi chú", blank=True)
    province = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="holiday_overrides",
        verbose_name="tỉnh/thành phố", help_text="Để trống: áp dụng toàn quốc.",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name="thời điểm cập nhật")

    class Meta:
        ordering = ["date", "province_id"]
        verbose_name = "điều chỉnh lịch nghỉ"
        verbose_name_plural = "điều chỉnh lịch nghỉ"
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=Q(province__isnull=True), name="calendar_override_national_date_unique"),
            models.UniqueConstraint(fields=["date", "province"], condition=Q(province__isnull=False), name="calendar_override_province_date_unique"),
        ]

    def __str__(self) -> str:
        kind = "làm việc" if self.is_working_day else "nghỉ"
        return f"{self.date:%d/%m/%Y} ({kind}): {self.name}"


class ProvinceWorkingHours(models.Model):
    """Giờ làm việc của tỉnh: morning and afternoon periods used for due times in that province."""

    province = models.OneToOneField(
        "units.Unit", on_delete=models.CASCADE, related_name="working_hours", verbose_name="tỉnh/thành phố",
    )
    morning_start = models.TimeField("bắt đầu buổi sáng", default=time(7, 30))
    morning_end = models.TimeField("kết thúc buổi sáng", default=time(11, 30))
    afternoon_start = models.TimeField("bắt đầu buổi chiều", default=time(13, 30))
    afternoon_end = models.TimeField("kết thúc buổi chiều", default=time(17, 0))
    legal_document = models.CharField("văn bản quy định", max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "giờ làm việc của tỉnh"
        verbose_name_plural = "giờ làm việc của tỉnh"

    def __str__(self) -> str:
        return (
            f"{self.province}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )

    def clean(self):
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(
                "Giờ làm việc không hợp lệ: cần bắt đầu sáng < kết thúc sáng ≤ bắt đầu chiều < kết thúc chiều."
            )
