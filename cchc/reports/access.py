"""Who may produce the conference report: the province's PAR office (Sở Nội vụ) and its leaders, for their own
province; system administrators, for any province. Everyone else: no access (deny by default)."""

from __future__ import annotations

from cchc.accounts.models import Role
from cchc.accounts.permissions import can
from cchc.core.errors import DomainError, ForbiddenError

ROLES = {Role.PAR_OFFICE, Role.PROVINCE_LEADER}


def resolve_province(user, province_code: str | None = None):
    """The province whose report the user asked for and may produce; ForbiddenError / DomainError naming the field."""
    from cchc.calendar.selectors import province_by_code

    if user is None or not getattr(user, "is_authenticated", False):
        raise ForbiddenError("Cần đăng nhập.", code="forbidden")
    admin = user.is_superuser or user.role == Role.SYSTEM_ADMIN
    if not admin and user.role not in ROLES:
        raise ForbiddenError("Báo cáo sơ kết, tổng kết CCHC dành cho cơ quan thường trực CCHC và lãnh đạo tỉnh.", code="forbidden")
    home = user.unit.province_unit if getattr(user, "unit_id", None) else None
    if province_code:
        province = province_by_code(province_code, field="province")
    elif home is not None:
        province = home
    else:
        raise DomainError("province: cần chọn tỉnh/thành phố.", code="required", field="province")
    if not admin and (home is None or home.pk != province.pk or not can(user, "view", province)):
        raise ForbiddenError("province: chỉ lập báo cáo của tỉnh mình.", code="forbidden")
    return province
