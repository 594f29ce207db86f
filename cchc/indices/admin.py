"""Admin (system administrators only): read-mostly views of criteria sets, cycles and snapshots.

Writes that carry rules (scores, transitions, publishing) go through services and are not editable here.
"""

from django.contrib import admin

from .models import (
    AssessmentCycle,
    CriteriaSet,
    Criterion,
    CycleResult,
    LostPointAssignment,
    LostPointDefault,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "parent", "title", "max_points", "is_leaf", "method", "responsible", "effort", "confirmed"]
    readonly_fields = ["code", "parent", "max_points", "is_leaf"]
    extra = 0
    show_change_link = False
    can_delete = False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year", "target_group", "owner", "is_template", "confirmed", "max_total"]
    list_filter = ["target_group", "is_template", "confirmed", "year"]
    search_fields = ["code", "name", "decision_no"]
    readonly_fields = ["max_total", "copied_from"]
    inlines = [CriterionInline]


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "organiser", "criteria_set", "state", "published_at"]
    list_filter = ["state", "year"]
    readonly_fields = ["state", "version", "published_at", "criteria_set", "organiser", "previous"]


@admin.register(CycleResult)
class CycleResultAdmin(admin.ModelAdmin):
    list_display = ["cycle", "unit", "group", "rank", "index_pct", "total"]
    list_filter = ["cycle", "group"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(LostPointDefault)
class LostPointDefaultAdmin(admin.ModelAdmin):
    """Phân công mặc định giải trình điểm bị trừ (editable data; a province's PAR office uses the API/page)."""

    list_display = ["criterion_prefix", "province", "department_kind", "department", "note"]
    list_filter = ["department_kind"]


@admin.register(LostPointAssignment)
class LostPointAssignmentAdmin(admin.ModelAdmin):
    """Read-only: assignments change through the services (audited), never by hand."""

    list_display = ["cycle", "criterion", "department", "status", "deadline"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
