"""Writes on identity links: a verified ID token → the citizen's one account (tài khoản người dân/doanh nghiệp).

Rules:
- one (issuer, sub) → one account (unique constraint), one verified ID number → one account (unique constraint
  on the normalised number in VerifiedIdentity);
- first login with a number an existing citizen account already declares (User.id_number) links that account
  instead of creating a second one — only when exactly one active citizen account declares it; several → refused
  (no guessing), the one-stop desk merges them;
- an OIDC login is always a citizen login: a link can never lead to a staff account (any staff role, is_staff,
  superuser); staff accounts declaring the same number are not linked, and staff keep password login;
- race-safe: two first logins of the same person at once meet the unique constraints; the loser's savepoint rolls
  back (no half-made account) and it re-reads the winner's rows.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts.backends import looks_like_phone, normalise_phone
from cchc.accounts.models import Role, User
from cchc.core.audit import audit_record

from .client import LoginRefused
from .models import OidcLink, VerifiedIdentity

_ID_CLEAN = re.compile(r"[\s.\-]")
# 12-digit personal ID number (Law on Identification 2023 art. 12) or 10/13-character enterprise/tax code
_ID_OK = re.compile(r"^(\d{12}|\d{10}|\d{10}-?\d{3})$")


def normalise_id_number(raw) -> str:
    text = _ID_CLEAN.sub("", str(raw or "")).upper()
    if not _ID_OK.match(text):
        raise LoginRefused(
            f"Thẻ định danh không có số định danh hợp lệ (claim “{settings.OIDC_ID_NUMBER_CLAIM}”: 12 chữ số "
            "hoặc mã số doanh nghiệp 10/13 chữ số).", "bad_id_number")
    return text


def _is_citizen_account(user: User) -> bool:
    return user.role == Role.CITIZEN and not user.is_staff and not user.is_superuser


def _refuse_staff(user: User) -> None:
    if not _is_citizen_account(user):
        raise LoginRefused("Tài khoản cán bộ chỉ đăng nhập bằng tên đăng nhập và mật khẩu; "
                           "đăng nhập định danh điện tử dành cho người dân, doanh nghiệp.", "staff_account")
    if not user.is_active:
        raise LoginRefused("Tài khoản đã bị khoá. Vui lòng liên hệ bộ phận một cửa.", "inactive")


def _existing(issuer: str, subject: str, id_number: str) -> User | None:
    link = OidcLink.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if link is not None:
        vi = VerifiedIdentity.objects.filter(user=link.user).first()
        if vi is not None and vi.id_number != id_number:
            raise LoginRefused("Số định danh trong thẻ khác số đã xác thực của tài khoản liên kết. "
                               "Vui lòng liên hệ bộ phận một cửa.", "id_number_changed")
        return link.user
    vi = VerifiedIdentity.objects.select_related("user").filter(id_number=id_number).first()
    if vi is not None:
        return vi.user
    declared = list(User.objects.filter(id_number=id_number, role=Role.CITIZEN, is_staff=False, is_superuser=False)[:2])
    if len(declared) > 1:
        raise LoginRefused("Có nhiều tài khoản cùng kê khai số định danh này; vui lòng liên hệ bộ phận một cửa "
                           "để hợp nhất trước khi đăng nhập bằng định danh điện tử.", "ambiguous_accounts")
    return declared[0] if declared else None


def _new_citizen(claims: dict, id_number: str) -> User:
    phone = normalise_phone(str(claims.get("phone_number") or ""))
    if not looks_like_phone(phone) or User.objects.filter(phone=phone).exists() or User.objects.filter(username=phone).exists():
        phone = ""
    user = User(username=f"dinhdanh-{secrets.token_hex(5)}", full_name=str(claims.get("name") or "")[:200],
                phone=phone, id_number=id_number, role=Role.CITIZEN,
                is_organisation=claims.get(settings.OIDC_ACCOUNT_TYPE_CLAIM) == "organisation")
    user.set_unusable_password()
    user.save()
    return user


def citizen_from_claims(*, issuer: str, claims: dict) -> User:
    """The citizen account for verified claims (link, or link an existing citizen, or create); audited."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise LoginRefused("Thẻ định danh thiếu mã định danh (sub).", "bad_sub")
    id_number = normalise_id_number(claims.get(settings.OIDC_ID_NUMBER_CLAIM))
    now = timezone.now()
    for _attempt in range(3):
        with transaction.atomic():
            user = _existing(issuer, subject, id_number)
            if user is not None:
                _refuse_staff(user)
            try:
                with transaction.atomic():
                    created = user is None
                    if created:
                        user = _new_citizen(claims, id_number)
                    vi, _ = VerifiedIdentity.objects.get_or_create(
                        user=user, defaults={"id_number": id_number, "issuer": issuer, "verified_at": now})
                    if vi.id_number != id_number:
                        raise LoginRefused("Tài khoản đã xác thực một số định danh khác. Vui lòng liên hệ bộ phận một cửa.",
                                           "id_number_changed")
                    link, linked = OidcLink.objects.get_or_create(issuer=issuer, subject=subject, defaults={"user": user})
            except IntegrityError:
                continue  # a concurrent first login won: read its rows on the next pass
            link.last_login_at = now
            link.save(update_fields=["last_login_at"])
            if linked:
                audit_record(actor=user, action="identity.oidc_link", obj=user, reason="",
                             data={"issuer": issuer, "created_account": created})
            audit_record(actor=user, action="identity.oidc_login", obj=user, data={"issuer": issuer})
            return user
    raise LoginRefused("Không hoàn tất được đăng nhập do nhiều yêu cầu đồng thời; vui lòng thử lại.", "race")
