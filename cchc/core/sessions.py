"""Session length by role (thời hạn phiên đăng nhập): staff sessions end sooner than citizens'.

An officer's session opens the dossiers of a whole unit, personal data included (Decree 13/2023), so it
lasts one working day: STAFF_SESSION_SECONDS (default 8 h) from login, and it ends when the browser closes
only if the browser says so. Citizens keep SESSION_COOKIE_AGE (default 14 days): they see only their own
dossiers and come back rarely. Connected to `user_logged_in` in CoreConfig.ready.
"""

from __future__ import annotations

from django.conf import settings


def staff_session_seconds() -> int:
    return int(getattr(settings, "STAFF_SESSION_SECONDS", 8 * 3600))


def limit_staff_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    is_staff = getattr(user, "is_staff_member", False) or user.is_superuser or user.is_staff
    if is_staff:
        request.session.set_expiry(staff_session_seconds())
