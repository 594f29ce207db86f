"""Django admin (/quan-tri-he-thong/) for system administrators only.

`is_staff` plays no part: the site admits active superusers and active users with role
system_admin, nobody else (the middleware in cchc.core.middleware turns the others away first).
"""

from types import MethodType

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Role, User


def admin_site_has_permission(self, request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and (user.is_superuser or user.role == Role.SYSTEM_ADMIN))


admin.site.has_permission = MethodType(admin_site_has_permission, admin.site)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "unit", "phone", "email", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "phone", "email", "unit__name"]
    raw_id_fields = ["unit"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Vai trò và đơn vị", {"fields": ("role", "unit", "full_name", "phone", "id_number", "is_organisation")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Vai trò và đơn vị", {"fields": ("role", "unit", "full_name", "phone")}),
    )
