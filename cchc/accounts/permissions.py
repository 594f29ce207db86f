"""One permission helper for pages, API, CLI and reports: deny by default, scoped by unit.

Scope of each role (a staff user's "home" is `user.unit`):
- one_stop_officer, specialist: their own unit only;
- unit_head (người đứng đầu): their unit and every unit below it;
- par_office, province_leader: the whole province of their unit;
- system_admin / superuser: everything;
- citizen: no unit data (their own dossiers are checked by ownership, not here).

Actions and who may do them (on a unit inside their scope):
- "view": every staff role;
- "process" (receive / handle dossiers): one_stop_officer, specialist, unit_head;
- "manage" (edit unit data, checklists, publish procedures, self-assess): unit_head, par_office;
- "appraise" (thẩm định, publish index cycles): par_office;
- "admin": system_admin.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import Role

ACTION_ROLES: dict[str, set[str]] = {
    "view": {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.PAR_OFFICE, Role.PROVINCE_LEADER, Role.SYSTEM_ADMIN},
    "process": {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.SYSTEM_ADMIN},
    "manage": {Role.UNIT_HEAD, Role.PAR_OFFICE, Role.SYSTEM_ADMIN},
    "appraise": {Role.PAR_OFFICE, Role.SYSTEM_ADMIN},
    "admin": {Role.SYSTEM_ADMIN},
}
SUBTREE_ROLES = {Role.UNIT_HEAD}
PROVINCE_ROLES = {Role.PAR_OFFICE, Role.PROVINCE_LEADER}


def _role(user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.SYSTEM_ADMIN
    return user.role


def _unit_model():
    """The unit model named by the account's foreign key ("units.Unit").

    Imports go one way, units → accounts (the registry's pages and services use this permission helper);
    accounts reaches units only through its own foreign key, never by importing the units app.
    """
    from .models import User

    return User._meta.get_field("unit").related_model


def descendant_ids(unit_ids: Iterable[int]) -> set[int]:
    """Ids of the given units and every unit below them (breadth-first over `parent`)."""
    Unit = _unit_model()
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        found |= frontier
    return found


def scope_q(user, unit_field: str | None = "unit") -> Q | None:
    """Q selecting rows whose `unit_field` lies in the user's scope; None means no restriction.

    `unit_field=None` scopes a queryset of Unit itself (the registry list).
    Returns Q(pk__in=[]) (nothing) for users with no scope.
    """
    role = _role(user)
    if role == Role.SYSTEM_ADMIN:
        return None
    if role is None or role == Role.CITIZEN or user.unit_id is None:
        return Q(pk__in=[])
    unit = user.unit
    own_id = "pk" if unit_field is None else f"{unit_field}_id"
    province_field = "province_id" if unit_field is None else f"{unit_field}__province_id"
    if role in PROVINCE_ROLES:
        province_id = unit.province_id or unit.pk
        return Q(**{province_field: province_id}) | Q(**{own_id: province_id})
    if role in SUBTREE_ROLES:
        return Q(**{f"{own_id}__in": descendant_ids([unit.pk])})
    return Q(**{own_id: unit.pk})


def filter_by_scope(qs: QuerySet, user, unit_field: str | None = "unit") -> QuerySet:
    """The rows of qs the user may see (list endpoints and pages use this, never their own filter)."""
    q = scope_q(user, unit_field)
    return qs if q is None else qs.filter(q)


def in_scope(user, unit) -> bool:
    role = _role(user)
    if role == Role.SYSTEM_ADMIN:
        return True
    if role is None or role == Role.CITIZEN or user.unit_id is None or unit is None:
        return False
    if role in PROVINCE_ROLES:
        province_id = user.unit.province_id or user.unit_id
        return unit.pk == province_id or unit.province_id == province_id
    if role in SUBTREE_ROLES:
        return unit.pk in descendant_ids([user.unit_id])
    return unit.pk == user.unit_id


def can(user, action: str, unit=None) -> bool:
    """May `user` do `action` on `unit`? Unknown actions are denied."""
    role = _role(user)
    if role is None or action not in ACTION_ROLES or role not in ACTION_ROLES[action]:
        return False
    if unit is None:
        return role == Role.SYSTEM_ADMIN or action == "view"
    return in_scope(user, unit)
