from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "region", "valid_from", "valid_to", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name", "name_folded", "admin_code", "agency_id"]
    raw_id_fields = ["parent", "province"]
    filter_horizontal = ["successors"]
    readonly_fields = ["name_folded"]
