"""Django admin for the calendar: administrators edit overrides and provincial working hours.

Every save and delete goes through the services, so it is validated and written to the audit log.
"""

from django.contrib import admin, messages
from django.db import models

from . import services
from .models import HolidayOverride, ProvinceWorkingHours


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name", "legal_document", "province", "updated_at")
    list_filter = ("is_working_day", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "legal_document", "note")
    date_hierarchy = "date"
    raw_id_fields = ("province",)
    fields = ("date", "is_working_day", "name", "legal_document", "source_url", "note", "province")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # The form has validated the fields and the unique date; the service locks, writes and audits.
        saved = services.holiday_override_save(
            actor=request.user, date=obj.date, is_working_day=obj.is_working_day, name=obj.name,
            legal_document=obj.legal_document, source_url=obj.source_url, note=obj.note, province=obj.province,
            override_id=obj.pk if change else None,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.holiday_override_delete(actor=request.user, override_id=obj.pk, reason="xóa trong trang quản trị")

    def delete_queryset(self, request, queryset):
        for pk in list(queryset.values_list("pk", flat=True)):
            services.holiday_override_delete(actor=request.user, override_id=pk, reason="xóa trong trang quản trị")
        messages.info(request, "Đã xóa và ghi nhật ký.")


@admin.register(ProvinceWorkingHours)
class ProvinceWorkingHoursAdmin(admin.ModelAdmin):
    list_display = ("province", "morning_start", "morning_end", "afternoon_start", "afternoon_end", "updated_at")
    raw_id_fields = ("province",)

    def save_model(self, request, obj, form, change):
        # Model.clean() has checked the order of the periods; the service writes and audits.
        saved = services.province_working_hours_set(
            actor=request.user, province=obj.province, morning_start=obj.morning_start, morning_end=obj.morning_end,
            afternoon_start=obj.afternoon_start, afternoon_end=obj.afternoon_end, legal_document=obj.legal_document,
        )
        obj.pk = saved.pk
