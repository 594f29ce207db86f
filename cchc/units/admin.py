from django.contrib import admin, messages

from . import targets
from .models import Target, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "region", "valid_from", "valid_to", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name", "name_folded", "admin_code", "agency_id"]
    raw_id_fields = ["parent", "province"]
    filter_horizontal = ["successors"]
    readonly_fields = ["name_folded"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Chỉ tiêu CCHC: every save and delete goes through units.targets (validated, audited)."""

    list_display = ("metric", "value", "year", "province", "unit", "source_document", "updated_at")
    list_filter = ("metric", "year", ("province", admin.RelatedOnlyFieldListFilter))
    search_fields = ("source_document", "note", "unit__name", "province__name")
    raw_id_fields = ("province", "unit")
    fields = ("province", "unit", "year", "metric", "value", "source_document", "source_url", "note")

    def save_model(self, request, obj, form, change):
        if change:  # the key may have changed: remove the old row first (audited), then set the new one
            old = Target.objects.get(pk=obj.pk)
            key = (old.province_id, old.unit_id, old.year, old.metric)
            if key != (obj.province_id, obj.unit_id, obj.year, obj.metric):
                targets.target_delete(actor=request.user, target_id=old.pk, reason="sửa khóa trong trang quản trị")
        saved = targets.target_set(
            actor=request.user, metric=obj.metric, value=obj.value, source_document=obj.source_document,
            province=obj.province, unit=obj.unit, year=obj.year, source_url=obj.source_url, note=obj.note,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        targets.target_delete(actor=request.user, target_id=obj.pk, reason="xóa trong trang quản trị")

    def delete_queryset(self, request, queryset):
        for pk in list(queryset.values_list("pk", flat=True)):
            targets.target_delete(actor=request.user, target_id=pk, reason="xóa trong trang quản trị")
        messages.info(request, "Đã xóa và ghi nhật ký.")
