"""Who may do what with a feedback, and who may see the sender's personal data (deny by default).

- classify, route, reject (không thuộc phạm vi): the PAR office of the province (Sở Nội vụ, role par_office) or a system admin;
- answer: staff of the handling unit (one-stop officer, specialist, unit head in scope of that unit) or the PAR office;
- publish: the PAR office, or the head of the handling unit;
- read: the PAR office and province leaders see the whole province; other staff see the feedback routed to their units;
  citizens see their own only;
- personal data (phone, e-mail, address, ID number): the sender, staff of the handling unit, the PAR office. Everyone else
  (a province leader, another unit, exports) sees a mask.
"""

from __future__ import annotations

from cchc.accounts.models import Role
from cchc.accounts.permissions import filter_by_scope, in_scope

HANDLING_ROLES = {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD}
PERSONAL_FIELDS = ("sender_phone", "sender_email", "sender_address", "sender_id_number")
MASK = "•••"


def _role(user):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Role.SYSTEM_ADMIN if user.is_superuser else user.role


def is_par_office_of(user, province) -> bool:
    role = _role(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    return role == Role.PAR_OFFICE and province is not None and in_scope(user, province)


def can_triage(user, fb) -> bool:
    """Phân loại, chuyển xử lý, từ chối: PAR office of the feedback's province."""
    return is_par_office_of(user, fb.province)


def is_handling_staff(user, fb) -> bool:
    return fb.unit_id is not None and _role(user) in HANDLING_ROLES and in_scope(user, fb.unit)


def can_answer(user, fb) -> bool:
    return can_triage(user, fb) or is_handling_staff(user, fb)


def can_publish(user, fb) -> bool:
    return can_triage(user, fb) or (is_handling_staff(user, fb) and _role(user) == Role.UNIT_HEAD)


def can_view(user, fb) -> bool:
    role = _role(user)
    if role is None:
        return False
    if role == Role.CITIZEN:
        return fb.sender_user_id == user.pk
    if role in {Role.PAR_OFFICE, Role.PROVINCE_LEADER}:
        return in_scope(user, fb.province)
    return role == Role.SYSTEM_ADMIN or is_handling_staff(user, fb)


def sees_personal_data(user, fb) -> bool:
    """Thông tin cá nhân của người gửi: the sender, the handling unit, the PAR office."""
    if _role(user) is None:
        return False
    return fb.sender_user_id == user.pk or can_triage(user, fb) or is_handling_staff(user, fb)


def mask(value: str) -> str:
    return MASK if value else ""


def personal(user, fb) -> dict:
    """The sender's personal fields, masked unless `user` may see them."""
    show = sees_personal_data(user, fb)
    return {f: (getattr(fb, f) if show else mask(getattr(fb, f))) for f in PERSONAL_FIELDS}


def public_text(fb, text: str) -> str:
    """`text` as the public may read it: the sender's name, phone, e-mail, ID number and address, and any run of 9 or
    more digits, replaced by the mask. The public summary is refused at publishing when it carries them; the answer,
    written to the sender ("Kính gửi ông …"), is published as well and is redacted here (public page and public API)."""
    import re

    out = text or ""
    for field in ("sender_name", "sender_phone", "sender_email", "sender_id_number", "sender_address"):
        value = (getattr(fb, field) or "").strip()
        if len(value) >= 4:
            out = re.sub(re.escape(value), MASK, out, flags=re.IGNORECASE)
    return re.sub(r"\d(?:[\d .\-]*\d){8,}", lambda m: MASK if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), out)


def visible_feedback(qs, user):
    """The rows of `qs` the user may read (list endpoints and pages use this, never their own filter)."""
    role = _role(user)
    if role is None:
        return qs.none()
    if role == Role.CITIZEN:
        return qs.filter(sender_user=user)
    if role == Role.SYSTEM_ADMIN:
        return qs
    if role in {Role.PAR_OFFICE, Role.PROVINCE_LEADER}:
        return filter_by_scope(qs, user, "province") if user.unit_id else qs.none()
    if role in HANDLING_ROLES:
        return filter_by_scope(qs.filter(unit__isnull=False), user, "unit")
    return qs.none()


def can_manage_dialogues(user, unit) -> bool:
    """Record a dialogue of `unit`: the PAR office of its province or the head of that unit (or above)."""
    role = _role(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    if unit is None:
        return False
    if role == Role.PAR_OFFICE:
        return in_scope(user, unit.province_unit)
    return role == Role.UNIT_HEAD and in_scope(user, unit)


def visible_dialogues(qs, user):
    role = _role(user)
    if role is None or role == Role.CITIZEN:
        return qs.none()
    if role == Role.SYSTEM_ADMIN:
        return qs
    if not user.unit_id:
        return qs.none()
    if role in {Role.PAR_OFFICE, Role.PROVINCE_LEADER}:
        return filter_by_scope(qs, user, "province")
    return filter_by_scope(qs, user, "unit")
