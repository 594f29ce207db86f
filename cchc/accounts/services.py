"""Writes on accounts (tài khoản): citizen registration, staff creation, API tokens, profile edits."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, NotFoundError
from cchc.core.textfold import fold, nfc

from .backends import looks_like_phone, normalise_phone
from .models import STAFF_ROLES, Role, User


def _clean_phone(phone: str) -> str:
    if not phone:
        return ""
    if not looks_like_phone(phone):
        raise DomainError("Số điện thoại không hợp lệ (10 chữ số, bắt đầu bằng 0).", code="invalid_phone", field="phone")
    return normalise_phone(phone)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("Địa chỉ e-mail không hợp lệ.", code="invalid_email", field="email") from exc
    return email.lower()


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(
            "Mật khẩu chưa đủ mạnh: tối thiểu 8 ký tự và không quá phổ biến.", code="weak_password", field="password"
        ) from exc


def _check_unique_contact(*, phone: str, email: str, exclude_pk: int | None = None) -> None:
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    if phone and (others.filter(phone=phone).exists() or others.filter(username=phone).exists()):
        raise ConflictError("Số điện thoại này đã được dùng cho một tài khoản khác.", code="phone_taken", field="phone")
    if email and (others.filter(email__iexact=email).exists() or others.filter(username__iexact=email).exists()):
        raise ConflictError("E-mail này đã được dùng cho một tài khoản khác.", code="email_taken", field="email")


def role_from_text(text: str) -> str | None:
    """Role value from its value ("specialist") or its Vietnamese label, folded."""
    key = fold(text or "")
    for role in Role:
        if key in {role.value, fold(role.label)}:
            return role.value
    return None


@transaction.atomic
def citizen_register(
    *, full_name: str, password: str, phone: str = "", email: str = "", is_organisation: bool = False,
    id_number: str = "",
) -> User:
    """Đăng ký tài khoản người dân / doanh nghiệp: phone or e-mail (at least one) and a password.

    The username is the phone number when given, else the e-mail address.
    """
    full_name = nfc(full_name).strip()
    if not full_name:
        raise DomainError("Vui lòng nhập họ tên hoặc tên tổ chức.", code="required", field="full_name")
    phone, email = _clean_phone(phone), _clean_email(email)
    if not phone and not email:
        raise DomainError("Cần số điện thoại hoặc e-mail để đăng nhập.", code="required", field="phone")
    _check_unique_contact(phone=phone, email=email)
    user = User(username=phone or email, full_name=full_name, phone=phone, email=email, role=Role.CITIZEN,
                is_organisation=bool(is_organisation), id_number=(id_number or "").strip()[:20])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="accounts.citizen_registered", obj=user, to_state=Role.CITIZEN,
                 data={"phone": bool(phone), "email": bool(email), "organisation": user.is_organisation})
    return user


@transaction.atomic
def user_update_profile(*, user: User, actor: User, full_name: str, phone: str = "", email: str = "") -> User:
    """Sửa hồ sơ cá nhân: name and contact details of the acting user."""
    if actor.pk != user.pk and not actor.is_system_admin:
        from cchc.core.errors import ForbiddenError

        raise ForbiddenError("Bạn chỉ được sửa hồ sơ của chính mình.")
    locked = User.objects.select_for_update().get(pk=user.pk)
    full_name = nfc(full_name).strip()
    if not full_name:
        raise DomainError("Vui lòng nhập họ tên.", code="required", field="full_name")
    phone, email = _clean_phone(phone), _clean_email(email)
    if locked.role == Role.CITIZEN and not phone and not email:
        raise DomainError("Cần số điện thoại hoặc e-mail để đăng nhập.", code="required", field="phone")
    _check_unique_contact(phone=phone, email=email, exclude_pk=locked.pk)
    before = {"full_name": locked.full_name, "phone": locked.phone, "email": locked.email}
    locked.full_name, locked.phone, locked.email = full_name, phone, email
    locked.save(update_fields=["full_name", "phone", "email"])
    audit_record(actor=actor, action="accounts.profile_updated", obj=locked,
                 data={"before": before, "after": {"full_name": full_name, "phone": phone, "email": email}})
    return locked


@transaction.atomic
def user_set_notice_channels(*, user: User, actor: User, channels: list[str]) -> User:
    """Chọn kênh nhận thông báo hồ sơ (e-mail / SMS / Zalo) of the acting user; each channel needs its contact:
    e-mail needs an e-mail address, SMS and Zalo a phone number. An empty choice is refused (at least one channel)."""
    from .models import NoticeChannel

    if actor.pk != user.pk and not actor.is_system_admin:
        from cchc.core.errors import ForbiddenError

        raise ForbiddenError("Bạn chỉ được sửa hồ sơ của chính mình.")
    locked = User.objects.select_for_update().get(pk=user.pk)
    chosen = []
    for c in channels:
        c = (c or "").strip().lower()
        if c not in NoticeChannel.values:
            raise DomainError(f"notice_channels: kênh “{c}” không hợp lệ; dùng email, sms hoặc zalo.", code="invalid", field="notice_channels")
        if c not in chosen:
            chosen.append(c)
    if not chosen:
        raise DomainError("notice_channels: chọn ít nhất một kênh nhận thông báo.", code="required", field="notice_channels")
    if NoticeChannel.EMAIL in chosen and not locked.email:
        raise DomainError("notice_channels: nhận qua e-mail cần khai báo địa chỉ e-mail.", code="no_email", field="notice_channels")
    if (NoticeChannel.SMS in chosen or NoticeChannel.ZALO in chosen) and not locked.phone:
        raise DomainError("notice_channels: nhận qua SMS hoặc Zalo cần khai báo số điện thoại.", code="no_phone", field="notice_channels")
    order = [c for c in NoticeChannel.values if c in chosen]
    before = locked.notice_channel_list()
    locked.notice_channels = ",".join(order)
    locked.save(update_fields=["notice_channels"])
    audit_record(actor=actor, action="accounts.notice_channels", obj=locked, data={"before": before, "after": order})
    return locked


@transaction.atomic
def user_create(
    *, username: str, role: str, unit_code: str = "", password: str = "", full_name: str = "", actor=None,
    is_superuser: bool = False,
) -> User:
    """Tạo tài khoản cán bộ: a staff user in a unit (citizens need no unit)."""
    Unit = User._meta.get_field("unit").related_model  # accounts does not import the units app (units → accounts)

    username = (username or "").strip()
    if not username:
        raise DomainError("Thiếu tên đăng nhập.", code="required", field="username")
    role_value = role_from_text(role)
    if role_value is None:
        raise DomainError(
            f"Vai trò '{role}' không hợp lệ; dùng một trong: {', '.join(r.value for r in Role)}.",
            code="invalid_role", field="role",
        )
    if User.objects.filter(username=username).exists():
        raise ConflictError(f"Tên đăng nhập {username} đã tồn tại.", code="username_taken", field="username")
    unit = None
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise NotFoundError(f"Không có đơn vị mã {unit_code}.", code="unit_not_found", field="unit")
    if role_value in STAFF_ROLES and role_value != Role.SYSTEM_ADMIN and unit is None:
        raise DomainError("Cán bộ phải thuộc một đơn vị (--unit MÃ).", code="unit_required", field="unit")
    if role_value == Role.CITIZEN and unit is not None:
        raise DomainError("Tài khoản người dân không gắn với đơn vị.", code="unit_not_allowed", field="unit")
    user = User(username=username, role=role_value, unit=unit, full_name=nfc(full_name).strip(),
                is_superuser=is_superuser or False, is_staff=role_value == Role.SYSTEM_ADMIN or is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor or "system", action="accounts.user_created", obj=user, to_state=role_value,
                 data={"unit": unit.code if unit else None})
    return user


@transaction.atomic
def user_token_get_or_create(*, username: str, actor=None) -> tuple[User, str, bool]:
    """The DRF token of a user (created when missing): (user, key, created)."""
    from rest_framework.authtoken.models import Token

    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFoundError(f"Không có người dùng {username}.", code="user_not_found", field="username")
    if not user.is_active:
        raise ConflictError(f"Tài khoản {username} đã bị khóa.", code="user_inactive", field="username")
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_record(actor=actor or "system", action="accounts.token_created", obj=user)
    return user, token.key, created
