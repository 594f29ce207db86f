"""Who sees which 766 figures (one rule for pages and API), on the permission helper's scopes.

- PAR office (Sở Nội vụ) and province leaders: their province, any unit of it;
- unit heads (người đứng đầu): their unit and the units below it (the province total is not theirs: a view
  without a unit opens on their own unit);
- system administrators: every province;
- everyone else (one-stop officers, specialists, citizens): no access.
"""

from __future__ import annotations

from cchc.accounts.models import Role
from cchc.accounts.permissions import can, scope_q
from cchc.core.errors import DomainError, ForbiddenError, NotFoundError

VIEW_ROLES = {Role.PAR_OFFICE, Role.PROVINCE_LEADER, Role.UNIT_HEAD, Role.SYSTEM_ADMIN}


def _role(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Role.SYSTEM_ADMIN if user.is_superuser else user.role


def may_view(user) -> bool:
    return _role(user) in VIEW_ROLES


def may_enter(user, province) -> bool:
    return _role(user) in {Role.PAR_OFFICE, Role.SYSTEM_ADMIN} and can(user, "appraise", province)


def resolve_view(user, *, province_code: str | None = None, unit_code: str | None = None):
    """(province, unit or None) the user asked for and may see; ForbiddenError / DomainError naming the field."""
    from cchc.calendar.selectors import province_by_code
    from cchc.units.models import Unit

    if not may_view(user):
        raise ForbiddenError("Chỉ số 766 dành cho cơ quan thường trực CCHC, lãnh đạo tỉnh và người đứng đầu đơn vị.", code="forbidden")
    home = user.unit if getattr(user, "unit_id", None) else None
    if province_code:
        province = province_by_code(province_code, field="province")
    elif home is not None:
        province = home.province_unit
    else:
        raise DomainError("province: cần chọn tỉnh/thành phố.", code="required", field="province")
    unit = None
    if unit_code:
        unit = Unit.objects.filter(code=str(unit_code).strip()[:40]).first()
        if unit is None:
            raise NotFoundError(f"unit: không có đơn vị mã {unit_code!r}.", code="unknown_unit", field="unit")
        if unit.province_unit.pk != province.pk:
            raise DomainError(f"unit: đơn vị {unit.code} không thuộc {province.name}.", code="unit_outside_province", field="unit")
        if unit.pk == province.pk:
            unit = None
    role = _role(user)
    if role == Role.UNIT_HEAD and unit is None:
        unit = home
    target = unit or province
    if scope_q(user, None) is not None and not can(user, "view", target):
        raise ForbiddenError(f"Bạn không có quyền xem số liệu của {target.name}.", code="out_of_scope", field="unit" if unit else "province")
    if unit is not None and unit.province_unit.pk != province.pk:  # a unit head of another province
        raise ForbiddenError(f"Bạn không có quyền xem số liệu của {province.name}.", code="out_of_scope", field="province")
    return province, unit
