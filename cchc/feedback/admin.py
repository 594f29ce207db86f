from django.contrib import admin

from .models import Dialogue, Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "channel", "status", "unit", "due_date", "answered_on")
    list_filter = ("status", "kind", "channel")
    search_fields = ("code", "title")
    exclude = ("sender_phone", "sender_email", "sender_address", "sender_id_number")

    def has_change_permission(self, request, obj=None):  # state changes go through the audited services only
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = ("held_on", "title", "unit", "participants_count")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
