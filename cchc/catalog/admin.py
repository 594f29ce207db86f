from django.contrib import admin

from .models import Checklist, ChecklistItem, Procedure, ProcedureEvent, ProvinceProcedure, SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "expansion", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("term", "term_folded", "expansion")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "levels", "time_raw", "time_ambiguous", "is_active")
    list_filter = ("time_ambiguous", "time_unit", "issuing_agency", "is_active")
    search_fields = ("code", "name", "name_folded")


@admin.register(ProvinceProcedure)
class ProvinceProcedureAdmin(admin.ModelAdmin):
    list_display = ("procedure", "province", "level", "desk", "time_value", "time_unit", "online_level",
                    "effective_from", "effective_to")
    list_filter = ("level", "online_level", "time_unit")
    raw_id_fields = ("procedure", "province", "desk", "handling_unit")
    search_fields = ("procedure__code", "procedure__name")


@admin.register(ProcedureEvent)
class ProcedureEventAdmin(admin.ModelAdmin):
    list_display = ("procedure", "province", "kind", "decision_no", "decision_date")
    list_filter = ("kind",)
    raw_id_fields = ("procedure", "province")


class ChecklistItemInline(admin.TabularInline):
    """Dòng thành phần hồ sơ: read-only (a change is a new version, made on the staff page or the API)."""

    model = ChecklistItem
    extra = 0
    can_delete = False
    fields = ("order", "name", "kind", "original_copies", "photocopies", "mandatory", "form_name", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    """Phiên bản thành phần hồ sơ: read-only; edit on /thu-tuc/quan-ly/<mã>/thanh-phan-ho-so/."""

    list_display = ("procedure", "version", "effective_from", "decision_no", "created_at")
    search_fields = ("procedure__code", "procedure__name")
    raw_id_fields = ("procedure", "created_by")
    readonly_fields = ("procedure", "version", "effective_from", "decision_no", "source", "created_by", "created_at")
    inlines = [ChecklistItemInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
