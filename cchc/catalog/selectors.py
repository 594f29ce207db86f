"""Catalogue selectors (reads)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from cchc.core.errors import DomainError, NotFoundError
from cchc.units.models import COMMUNE_KINDS

from .models import Checklist, ChecklistItem, EventKind, Procedure, ProcedureEvent, ProvinceProcedure

SIMPLIFYING_KINDS = (EventKind.SIMPLIFIED, EventKind.TIME_CUT)


def _province_unit(province):
    from cchc.units.models import Unit

    if isinstance(province, Unit):
        return province
    unit = Unit.objects.filter(code=str(province)).first()
    if unit is None:
        raise NotFoundError(f"Không có tỉnh mã {province!r}.", field="province")
    return unit


def in_force_q(on_date: dt.date, prefix: str = "") -> Q:
    """Q for publication rows in force on a date: effective_from ≤ d and (no effective_to or ≥ d)."""
    return Q(**{f"{prefix}effective_from__lte": on_date}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": on_date})
    )


def published_procedure_on(*, province, procedure_code: str, on_date: dt.date, level: str | None = None):
    """The ProvinceProcedure version that applied in `province` on `on_date` (None if not published).

    When the procedure is published at both levels (cấp tỉnh and cấp xã) and no `level` is given, the
    latest version wins, then "commune" before "province" (alphabetical, deterministic): pass `level`
    when the desk's level is known.
    """
    province = _province_unit(province)
    qs = ProvinceProcedure.objects.select_related("procedure", "desk", "handling_unit").filter(
        in_force_q(on_date), province=province, procedure__code=procedure_code, procedure__is_active=True,
    )
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-effective_from", "level").first()


def procedure_get(*, code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, is_active=True).first()
    if procedure is None:
        raise NotFoundError(f"Không tìm thấy thủ tục mã {code}.", field="code")
    return procedure


def procedure_publications(*, procedure: Procedure, province=None, on_date: dt.date | None = None):
    """Where a procedure is published (desk, time, online level) on a date, for one province or all."""
    on_date = on_date or timezone.localdate()
    qs = ProvinceProcedure.objects.select_related("province", "desk", "handling_unit").filter(
        in_force_q(on_date), procedure=procedure,
    )
    if province is not None:
        qs = qs.filter(province=province)
    return list(qs.order_by("province__code", "level", "desk__code"))


def procedure_events(*, procedure: Procedure) -> list[ProcedureEvent]:
    return list(procedure.events.select_related("province").order_by("-decision_date", "-id"))


def simplification_report(*, province, date_from: dt.date, date_to: dt.date) -> dict:
    """Số liệu kiểm soát TTHC của tỉnh trong kỳ, e.g. "1.937 TTHC; 1.132 đơn giản hóa (57,41%); 278 mới ...".

    - in_force: distinct procedures the province applies on `date_to` (publication rows in force);
    - simplified: of those, procedures with a simplified or time-cut event of the province decided on or
      before `date_to` (cumulative); simplified_pct = simplified ÷ in_force × 100, 2 decimals;
    - new / amended / abolished / simplified_in_period / time_cut: the province's events with
      date_from ≤ decision date ≤ date_to (each event counted once);
    - time_cut_of_new_or_amended: procedures issued or amended in the period whose time was also cut
      in the period ("cắt giảm 257/365 TTHC mới, sửa đổi").
    """
    province = _province_unit(province)
    if date_from > date_to:
        raise DomainError("Ngày bắt đầu phải trước ngày kết thúc.", code="invalid_period", field="date_from")
    in_force_ids = set(
        ProvinceProcedure.objects.filter(in_force_q(date_to), province=province).values_list("procedure_id", flat=True)
    )
    events = ProcedureEvent.objects.filter(province=province)
    simplified_ids = set(
        events.filter(kind__in=SIMPLIFYING_KINDS, decision_date__lte=date_to).values_list("procedure_id", flat=True)
    ) & in_force_ids
    period = events.filter(decision_date__gte=date_from, decision_date__lte=date_to)
    by_kind = {row["kind"]: row["n"] for row in period.values("kind").annotate(n=Count("id"))}
    new_or_amended = set(
        period.filter(kind__in=[EventKind.NEW, EventKind.AMENDED]).values_list("procedure_id", flat=True)
    )
    cut_in_period = set(period.filter(kind=EventKind.TIME_CUT).values_list("procedure_id", flat=True))
    in_force = len(in_force_ids)
    return {
        "province": province.code,
        "province_name": province.name,
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "in_force": in_force,
        "simplified": len(simplified_ids),
        "simplified_pct": round(len(simplified_ids) * 100 / in_force, 2) if in_force else 0.0,
        "new": by_kind.get(EventKind.NEW, 0),
        "amended": by_kind.get(EventKind.AMENDED, 0),
        "abolished": by_kind.get(EventKind.ABOLISHED, 0),
        "simplified_in_period": by_kind.get(EventKind.SIMPLIFIED, 0),
        "time_cut": by_kind.get(EventKind.TIME_CUT, 0),
        "new_or_amended": len(new_or_amended),
        "time_cut_of_new_or_amended": len(new_or_amended & cut_in_period),
    }


def received_procedure_ids(*, unit, on_date: dt.date | None = None) -> set[int]:
    """Thủ tục tiếp nhận tại một đơn vị: ids of the procedures `unit` receives on `on_date`.

    The same rule as the desk's intake (dossiers.services.published_procedure_for): a publication of the unit's
    province in force on the date that names this unit as its desk, or names no desk and is at the unit's level
    (units.selectors.unit_level: a commune desk receives commune-level procedures, the provincial service
    centre provincial ones; a publication without a level applies at every desk). Inactive procedures are out.
    """
    from cchc.units.selectors import unit_level

    on_date = on_date or timezone.localdate()
    province = unit.province_unit
    level = unit_level(unit)
    return set(
        ProvinceProcedure.objects.filter(in_force_q(on_date), province=province, procedure__is_active=True)
        .filter(Q(desk=unit) | Q(desk__isnull=True, level__in=[level, ""]))
        .values_list("procedure_id", flat=True)
    )


# ------------------------------------------------------------------------------ thành phần hồ sơ

def checklist_in_force(*, procedure, on_date: dt.date | None = None) -> Checklist | None:
    """Thành phần hồ sơ áp dụng ngày `on_date` (default today): the newest version with effective_from ≤ date.

    `procedure` may be a Procedure, its id or its code. None when the procedure has no checklist yet.
    """
    on_date = on_date or timezone.localdate()
    qs = Checklist.objects.filter(effective_from__lte=on_date)
    if isinstance(procedure, Procedure):
        qs = qs.filter(procedure=procedure)
    elif isinstance(procedure, int):
        qs = qs.filter(procedure_id=procedure)
    else:
        qs = qs.filter(procedure__code=str(procedure))
    return qs.order_by("-effective_from", "-version").first()


def checklist_items(*, checklist: Checklist | int | None) -> list[ChecklistItem]:
    """The lines of one checklist version in display order (empty for None)."""
    if checklist is None:
        return []
    checklist_id = checklist if isinstance(checklist, int) else checklist.pk
    return list(ChecklistItem.objects.filter(checklist_id=checklist_id).order_by("order", "id"))


def procedure_checklist(*, procedure, on_date: dt.date | None = None) -> tuple[Checklist | None, list[ChecklistItem]]:
    """The one read of a procedure's checklist (staff editor, desk, portal, API, public page, intake):
    the version in force on `on_date` and its lines."""
    checklist = checklist_in_force(procedure=procedure, on_date=on_date)
    return checklist, checklist_items(checklist=checklist)


def checklist_versions(*, procedure) -> list[Checklist]:
    """Every version of a procedure's checklist, newest first, with `n_items`."""
    return list(Checklist.objects.filter(procedure=procedure).annotate(n_items=Count("items"))
                .order_by("-effective_from", "-version"))


# ---------------------------------------------------------------------------------------------- where a procedure is received


def procedure_offered_at(*, unit, procedure, on_date: dt.date, online: bool = False) -> ProvinceProcedure | None:
    """Thủ tục có được tiếp nhận tại đơn vị này không: THE rule, used by the portal, the desk, the API and services.

    Returns the publication row (ProvinceProcedure) that applies at `unit` on `on_date`, or None.
    - Only rows of the unit's province in force on the date, for an active procedure.
    - A row naming this unit as its desk (nơi tiếp nhận) wins.
    - Otherwise a row without a desk at the unit's level: a commune-level row applies at every commune,
      ward and special zone of the province and the one-stop desks under them — Decree 118/2025/NĐ-CP
      receives dossiers regardless of administrative boundary within the province (docs/dossiers.md);
      a row without a level applies at both levels. A row naming another desk does not apply here.
    - `online=True` also requires an online service (một phần / toàn trình) on that row.
    Among several rows, the latest effective_from wins (then the highest id).
    """
    province = unit.province_unit
    if province is None or procedure is None or not getattr(procedure, "is_active", True):
        return None
    rows = list(
        ProvinceProcedure.objects.select_related("procedure", "desk", "handling_unit")
        .filter(in_force_q(on_date), province=province, procedure=procedure)
        .order_by("-effective_from", "-id")
    )
    if online:
        rows = [r for r in rows if r.online_level != "none"]
    for row in rows:
        if row.desk_id == unit.pk:
            return row
    from cchc.units.selectors import unit_level

    level = unit_level(unit)
    for row in rows:
        if row.desk_id is None and (row.level or "") in (level, ""):
            return row
    return None


def receiving_desk(unit):
    """Nơi tiếp nhận thực tế của một xã: its active one-stop desk (bộ phận một cửa) if it has one, else itself."""
    from cchc.units.models import Unit, UnitKind

    if unit is not None and unit.kind in COMMUNE_KINDS:
        desk = Unit.objects.filter(parent=unit, kind=UnitKind.ONE_STOP_DESK, is_active=True).order_by("code").first()
        if desk is not None:
            return desk
    return unit


def publication_needs_place_choice(pp: ProvinceProcedure) -> bool:
    """A commune-level publication without a fixed desk: the applicant chooses the commune that receives it."""
    return pp.desk_id is None and pp.level == "commune"


def publication_fixed_desk(pp: ProvinceProcedure):
    """Nơi tiếp nhận of a publication that names one place (its desk, else the province's service centre for a
    province-level row), or None when the applicant must choose a commune or no desk receives it."""
    from cchc.units.models import Unit, UnitKind

    if pp.desk_id:
        return pp.desk
    if publication_needs_place_choice(pp):
        return None
    return Unit.objects.filter(parent=pp.province, kind=UnitKind.SERVICE_CENTRE, is_active=True).order_by("code").first()


def communes_offering(*, pp: ProvinceProcedure, q: str = ""):
    """Xã, phường, đặc khu of the publication's province that receive a commune-level procedure, by name.

    `q` narrows by folded name (diacritics and case ignored) or code. Unordered beyond name; paginate the result.
    """
    from cchc.core.textfold import fold
    from cchc.units.models import Unit

    qs = Unit.objects.filter(province=pp.province, kind__in=COMMUNE_KINDS, is_active=True)
    q = (q or "").strip()
    if q:
        folded = fold(q)
        qs = qs.filter(Q(name_folded__contains=folded) | Q(code__iexact=q))
    return qs.order_by("name_folded", "code")
