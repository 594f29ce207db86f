"""Django admin (system admins only): dossiers are read-only (changes go through services); checklists are in catalog."""

from django.contrib import admin

from .models import (
    ApologyLetter,
    Dossier,
    DossierDocument,
    DossierPause,
    DossierRating,
    DossierStep,
    Notification,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(ReadOnlyInline):
    model = DossierStep
    fields = ("seq", "from_unit", "to_unit", "to_user", "sent_at", "due_at", "finished_at", "on_time")


class PauseInline(ReadOnlyInline):
    model = DossierPause
    fields = ("kind", "reason", "started_at", "ended_at", "working_seconds")


class ApologyInline(ReadOnlyInline):
    model = ApologyLetter
    fields = ("issued_at", "reason", "due_at", "new_due_at")


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ("kind", "name", "is_electronic", "content_type", "size", "sha256")


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("code", "status", "procedure", "unit", "channel", "received_at", "due_at", "settled_at")
    list_filter = ("status", "channel")
    search_fields = ("code", "applicant_name", "applicant_id_number")
    date_hierarchy = "received_at"
    inlines = [StepInline, PauseInline, ApologyInline, DocumentInline]
    list_select_related = ("procedure", "unit")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "recipient", "status", "attempts")
    list_filter = ("status", "kind", "channel")
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(DossierRating)
class DossierRatingAdmin(admin.ModelAdmin):
    list_display = ("dossier", "overall", "created_at")
    readonly_fields = ("dossier", "overall", "access", "procedure", "officials", "result", "feedback", "comment", "created_at")

    def has_add_permission(self, request):  # ratings come from the citizen (services.dossier_rate) only
        return False

    def delete_model(self, request, obj):
        """Removing a rating changes the 766 rollup counters (settled_dissatisfied): same transaction."""
        from django.db import transaction

        from . import rollups

        with transaction.atomic():
            d = rollups.track(Dossier.objects.select_for_update().get(pk=obj.dossier_id))
            super().delete_model(request, obj)
            rollups.sync(d)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
