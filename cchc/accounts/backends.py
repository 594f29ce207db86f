"""Authentication by username, phone number or e-mail (đăng nhập bằng tên, số điện thoại hoặc e-mail)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .models import Role

_PHONE_CHARS = re.compile(r"[\s.\-()]")


def normalise_phone(text: str) -> str:
    """"+84 912 345 678", "0912.345.678", "84912345678" -> "0912345678"; other text unchanged (stripped)."""
    raw = _PHONE_CHARS.sub("", (text or "").strip())
    if raw.startswith("+84"):
        raw = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) == 11 and raw.isdigit():
        raw = "0" + raw[2:]
    return raw


def looks_like_phone(text: str) -> bool:
    p = normalise_phone(text)
    return p.isdigit() and 9 <= len(p) <= 11 and p.startswith("0")


class UsernamePhoneEmailBackend(ModelBackend):
    """Log in with the username, the phone number or the e-mail address and the password.

    A phone or e-mail shared by several accounts logs nobody in (no guessing which one).
    Active system administrators (role system_admin) hold every model permission, so Django admin
    works for them without `is_staff`/`is_superuser` flags.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = self.resolve_account(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing hint that the account is missing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def resolve_account(identifier: str):
        """The one account a typed login name means (username, else e-mail, else phone in any spelling), or None.

        Used by `authenticate` and by the login limit (cchc.core.views), so both agree on who is meant.
        """
        User = get_user_model()
        ident = (identifier or "").strip()
        if not ident:
            return None
        user = User.objects.filter(username=ident).first()
        if user is None and "@" in ident:
            matches = list(User.objects.filter(email__iexact=ident)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None and looks_like_phone(ident):
            matches = list(User.objects.filter(phone=normalise_phone(ident))[:2])
            user = matches[0] if len(matches) == 1 else None
        return user

    @staticmethod
    def normalise_identifier(identifier: str) -> str:
        """A typed name no account answers to, in one spelling: phone digits, lower-case e-mail/name."""
        ident = (identifier or "").strip()
        return normalise_phone(ident) if looks_like_phone(ident) else ident.lower()

    def has_perm(self, user_obj, perm, obj=None):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.SYSTEM_ADMIN:
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and getattr(user_obj, "role", None) == Role.SYSTEM_ADMIN:
            return True
        return super().has_module_perms(user_obj, app_label)
