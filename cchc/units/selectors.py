"""Reads on the organisation registry (đơn vị): lineage through mergers, province look-up, scoped lists."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.accounts.permissions import filter_by_scope
from cchc.core.textfold import fold

from .models import COMMUNE_KINDS, Unit, UnitKind

PROVINCE_KINDS = (UnitKind.PROVINCE, UnitKind.OLD_PROVINCE)

# Words in front of a province name that carry no identity ("Tỉnh", "TP.", "Thành phố").
_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?|t\.p\.?|tp)\s+")
_PUNCT = re.compile(r"[^0-9a-z]+")


def _walk(unit: Unit, direction: str) -> set[Unit]:
    # successors of X are the units whose `predecessors` include X, and the other way round
    lookup = "predecessors__in" if direction == "successors" else "successors__in"
    seen: dict[int, Unit] = {}
    frontier = [unit]
    while frontier:
        ids = [u.pk for u in frontier]
        nxt = list(Unit.objects.filter(**{lookup: ids}).distinct())
        frontier = [u for u in nxt if u.pk not in seen and u.pk != unit.pk]
        for u in frontier:
            seen[u.pk] = u
    return set(seen.values())


def unit_successors_all(unit: Unit) -> set[Unit]:
    """Every unit that (directly or through later mergers) took over from `unit`."""
    return _walk(unit, "successors")


def unit_predecessors_all(unit: Unit) -> set[Unit]:
    """Every unit `unit` was formed from, directly or through earlier mergers."""
    return _walk(unit, "predecessors")


def unit_lineage(unit: Unit) -> set[Unit]:
    """Phả hệ: all predecessors and all successors of `unit` (transitively), not `unit` itself.

    Siblings merged into the same successor are not included: the lineage of old Long An is
    {new Tây Ninh}, that of new Tây Ninh is {old Tây Ninh, old Long An}.
    """
    return unit_predecessors_all(unit) | unit_successors_all(unit)


def current_successor(old_unit: Unit, on_date: dt.date | None = None) -> Unit | None:
    """The unit that stands for `old_unit` on `on_date` (default today), following successor links.

    Returns `old_unit` itself when it is valid on that date, None when no unit in its line is.
    When a unit was split (several successors valid on the date), the one with the lowest code wins.
    """
    day = on_date or timezone.localdate()
    if old_unit.is_valid_on(day):
        return old_unit
    seen = {old_unit.pk}
    frontier = [old_unit]
    while frontier:
        nxt = list(Unit.objects.filter(predecessors__in=[u.pk for u in frontier]).distinct().order_by("code"))
        nxt = [u for u in nxt if u.pk not in seen]
        valid = [u for u in nxt if u.is_valid_on(day)]
        if valid:
            return valid[0]
        seen.update(u.pk for u in nxt)
        frontier = nxt
    return None


def _key(text: str) -> str:
    folded = fold(text).replace("-", " ")
    folded = _PREFIX.sub("", folded)
    return _PUNCT.sub("", folded)


def _names(unit: Unit) -> list[str]:
    names = [unit.name, unit.short_name]
    names += [a for a in (unit.aliases or "").split(";") if a.strip()]
    return [n for n in names if n]


def province_by_name_or_code(text: str, *, on_date: dt.date | None = None) -> Unit | None:
    """Tỉnh theo tên hoặc mã: match a province on old or new names or codes, folded.

    "TP. Hồ Chí Minh", "Hồ Chí Minh", "HCM", "BR-VT", "Thừa Thiên Huế", "tinh tay ninh", "80", "old-72".
    A code or name that exists on both systems gives the current (34) unit, unless `on_date` is
    before 1 July 2025, then the old (63) unit. Returns None when nothing matches.
    """
    if not text or not str(text).strip():
        return None
    raw = str(text).strip()
    units = list(Unit.objects.filter(kind__in=PROVINCE_KINDS))
    prefer_old = on_date is not None and on_date < dt.date(2025, 7, 1)

    def pick(cands: list[Unit]) -> Unit | None:
        if not cands:
            return None
        if on_date is not None:
            valid = [u for u in cands if u.is_valid_on(on_date)]
            if valid:
                cands = valid
        order = (UnitKind.OLD_PROVINCE, UnitKind.PROVINCE) if prefer_old else (UnitKind.PROVINCE, UnitKind.OLD_PROVINCE)
        cands.sort(key=lambda u: (order.index(u.kind), u.code))
        return cands[0]

    if raw.isdigit():  # an official code; "8" is "08" after a spreadsheet dropped the zero
        return pick([u for u in units if u.admin_code == raw.zfill(2)])
    by_code = [u for u in units if u.code == raw]
    if by_code:
        return by_code[0]
    key = _key(raw)
    if not key:
        return None
    return pick([u for u in units if any(_key(n) == key for n in _names(u))])


def unit_list(*, user, kind: str | None = None, province: str | None = None, q: str | None = None) -> QuerySet:
    """Units the user may see (permissions.filter_by_scope), filtered by kind, province and text."""
    qs = filter_by_scope(Unit.objects.select_related("parent", "province"), user, None)
    if kind:
        kinds = [k.strip() for k in kind.split(",") if k.strip()]
        qs = qs.filter(kind__in=kinds)
    if province:
        prov = province_by_name_or_code(province)
        qs = qs.filter(Q(province=prov) | Q(pk=prov.pk)) if prov is not None else qs.none()
    if q:
        for word in fold(q).split():
            qs = qs.filter(Q(name_folded__contains=word) | Q(code__icontains=word))
    return qs.order_by("code")


def unit_get(*, user, code: str) -> Unit | None:
    return filter_by_scope(Unit.objects.select_related("parent", "province"), user, None).filter(code=code).first()


def communes_of(province: Unit) -> QuerySet:
    return Unit.objects.filter(province=province, kind__in=COMMUNE_KINDS)


def commune_of(unit: Unit | None) -> Unit | None:
    """The commune/ward/special zone a unit is or belongs to (a commune desk's commune), else None."""
    if unit is None:
        return None
    if unit.kind in COMMUNE_KINDS:
        return unit
    parent = unit.parent if unit.parent_id else None
    if parent is not None and parent.kind in COMMUNE_KINDS:
        return parent
    return None


def unit_level(unit: Unit) -> str:
    """Cấp của nơi tiếp nhận: 'commune' for a commune/ward/special zone or a desk under one; 'province' otherwise.

    Since 1/7/2025 (two-tier local government) a commune desk receives the commune-level procedures and the
    provincial public administration service centre the provincial ones."""
    return "commune" if commune_of(unit) is not None else "province"


def home_unit_choices(*, q: str = "", province_code: str = ""):
    """Communes a person may choose as residence, matching `q` (folded name or code), optionally in one
    province; ordered by province then name (paginate the result)."""
    qs = Unit.objects.filter(kind__in=COMMUNE_KINDS, is_active=True, province__kind=UnitKind.PROVINCE).select_related("province")
    if province_code:
        qs = qs.filter(province__code=province_code)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name_folded__contains=fold(q)) | Q(code__iexact=q))
    return qs.order_by("province__name_folded", "name_folded", "code")


def home_unit_provinces():
    """Provinces that have at least one commune a person may choose as residence, by name."""
    return (Unit.objects.filter(kind=UnitKind.PROVINCE, is_active=True,
                                pk__in=Unit.objects.filter(kind__in=COMMUNE_KINDS, is_active=True).values("province_id"))
            .order_by("name_folded"))
