from django.contrib import admin

from .models import EnteredFigure, IndicatorSet


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    """Read-only: versions are created by services (never edited in place)."""

    list_display = ("family", "version", "name", "effective_from", "confirmed")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EnteredFigure)
class EnteredFigureAdmin(admin.ModelAdmin):
    list_display = ("province", "unit", "period", "indicator_code", "numerator", "denominator", "entered_by", "entered_at")
    list_filter = ("period", "indicator_code")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
