from django.conf import settings

from cchc.core.datanotes import sees_data_notes
from cchc.core.nav import menu_for


def platform(request):
    user = getattr(request, "user", None)
    return {"PLATFORM_NAME": "Nền tảng CCHC", "DEBUG": settings.DEBUG,
            # internal data-quality notes ("cần xác minh", flags of published figures) are for staff only
            "SHOW_DATA_NOTES": sees_data_notes(user),
            # built only when a template draws the menu (htmx fragments do not)
            "main_menu": (lambda: menu_for(user, request.path)) if user is not None else ()}
