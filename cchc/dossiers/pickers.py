"""Selectors for the hand-over pickers (chuyển xử lý / phân công): which units and officers to offer.

Both lists are searched (folded: diacritics and case ignored), paginated and never cut silently: the page
says how many matched. Units that can process this dossier come first (its handling unit, the commune
that received it, the receiving unit, the publication's handling unit); every other unit of the province
is reached by typing. Officers are those who may "process" at the chosen unit (accounts.permissions.can:
its own staff, and heads of a unit above it), the same rule `services._new_step` enforces.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q

from cchc.core.textfold import fold

PAGE_SIZE = 20
HIDDEN_UNIT_KINDS = ("old_province", "district", "old_commune")
OFFICER_ROLES = ("specialist", "unit_head", "one_stop_officer")


def preferred_units(dossier) -> list:
    """Đơn vị ưu tiên: the units that can process this dossier, most likely first, without duplicates."""
    from cchc.units.selectors import commune_of

    from .services import default_handling_unit

    candidates = [dossier.handling_unit]
    pp = dossier.province_procedure
    candidates.append(default_handling_unit(unit=dossier.unit, pp=pp) if pp is not None else None)
    candidates += [commune_of(dossier.unit), dossier.unit, pp.handling_unit if pp is not None else None]
    seen, out = set(), []
    for unit in candidates:
        if unit is not None and unit.pk not in seen and unit.is_active:
            seen.add(unit.pk)
            out.append(unit)
    return out


def default_handover_unit(dossier):
    """The unit a hand-over goes to when none is chosen (the first preferred unit)."""
    units = preferred_units(dossier)
    return units[0] if units else dossier.unit


def unit_search(*, dossier, q: str = "", page: int | str | None = 1):
    """Other units of the dossier's province matching `q` (name or code), a Paginator page of PAGE_SIZE."""
    from cchc.units.models import Unit

    province = dossier.province
    qs = Unit.objects.filter(Q(province=province) | Q(pk=province.pk), is_active=True).exclude(kind__in=HIDDEN_UNIT_KINDS)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code__iexact=q))
    qs = qs.exclude(pk__in=[u.pk for u in preferred_units(dossier)]).order_by("name_folded", "code")
    return Paginator(qs, PAGE_SIZE).get_page(page)


def _ancestor_ids(unit) -> list[int]:
    ids, seen = [], set()
    current = unit.parent if unit.parent_id else None
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        ids.append(current.pk)
        current = current.parent if current.parent_id else None
    return ids


def _eligible(unit):
    from cchc.accounts.models import Role, User

    return User.objects.filter(is_active=True, role__in=OFFICER_ROLES).filter(
        Q(unit=unit) | Q(role=Role.UNIT_HEAD, unit_id__in=_ancestor_ids(unit))
    ).select_related("unit")


def eligible_officer(*, unit, username: str):
    """The officer `username` when they may process at `unit` (same rule as the list), else None.

    A redraw of the picker (another unit, another search text, another page) keeps the officer chosen before
    when this says they still qualify, even if the current page does not list them."""
    username = (username or "").strip()
    if not username:
        return None
    return _eligible(unit).filter(username=username).first()


def officers_for_unit(*, unit, q: str = "", page: int | str | None = 1):
    """Cán bộ who may process dossiers at `unit` (its staff, heads of units above it), matching `q`, paginated.

    `q` is matched word by word on the folded name, username and e-mail (diacritics and case ignored: "ho tich"
    finds "Trần Văn Hộ Tịch"). The eligible officers of one unit are a short list, so the match runs over it
    in Python (User has no folded-name column) and the page count stays exact."""
    qs = _eligible(unit).order_by("unit_id", "role", "full_name", "username")
    words = fold(q or "").split()
    if words:
        qs = [u for u in qs if all(w in fold(f"{u.full_name} {u.username} {u.email}") for w in words)]
    return Paginator(qs, PAGE_SIZE).get_page(page)
