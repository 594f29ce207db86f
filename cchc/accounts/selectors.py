"""Reads on accounts: what the current user is and may see (used by /api/v1/me/ and the profile page)."""

from __future__ import annotations

from .models import Role
from .permissions import ACTION_ROLES, PROVINCE_ROLES, SUBTREE_ROLES, _role, can


def user_scope(user) -> dict:
    """Phạm vi: the kind of scope and the unit it is anchored on."""
    role = _role(user)
    if role == Role.SYSTEM_ADMIN:
        return {"kind": "all", "unit": None, "label": "Toàn hệ thống"}
    if role is None or role == Role.CITIZEN or user.unit_id is None:
        return {"kind": "none", "unit": None, "label": "Không có dữ liệu đơn vị"}
    unit = user.unit
    if role in PROVINCE_ROLES:
        prov = unit.province_unit
        return {"kind": "province", "unit": prov, "label": f"Toàn tỉnh: {prov.name}"}
    if role in SUBTREE_ROLES:
        return {"kind": "subtree", "unit": unit, "label": f"{unit.name} và các đơn vị trực thuộc"}
    return {"kind": "unit", "unit": unit, "label": unit.name}


def user_me(user) -> dict:
    def ref(u):
        return {"id": u.pk, "code": u.code, "name": u.name, "kind": u.kind} if u is not None else None

    scope = user_scope(user)
    unit = user.unit if user.unit_id else None
    home = user.home_unit if user.home_unit_id else None
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.display_name(),
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "role_label": user.get_role_display(),
        "is_system_admin": user.is_system_admin,
        "unit": ref(unit),
        "province": ref(unit.province_unit) if unit is not None else None,
        "home_unit": ref(home),
        "scope": {"kind": scope["kind"], "unit": ref(scope["unit"]), "label": scope["label"]},
        "can": {action: can(user, action, unit) for action in ACTION_ROLES},
    }
