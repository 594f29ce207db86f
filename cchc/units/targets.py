"""Chỉ tiêu CCHC (targets): writes (audited) and the ONE read used by every "below target" flag.

Resolution of `target_for(metric, unit, year)`: the most specific row wins —
1. a row for the unit itself, then for each unit above it (desk → commune, phòng → sở), up to the province;
2. a row of the unit's province without unit;
3. the national default (no province).
At each level a row for that exact year wins over a row without year ("mọi năm"). No row → None (no flag).
"Below target" (chưa đạt): a rate strictly below the target value (exactly at the target is reached); for a
rank (LOWER_IS_BETTER), a rank number strictly above the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import DomainError, ForbiddenError, NotFoundError

from .models import LOWER_IS_BETTER, Target, TargetMetric, Unit

LEVEL_LABELS = {"unit": "đơn vị", "province": "tỉnh", "national": "mặc định toàn quốc"}


@dataclass(frozen=True)
class ResolvedTarget:
    """A target in force: its value, where it comes from (level and document) and the row."""

    metric: str
    value: float
    level: str  # "unit" | "province" | "national"
    source_document: str
    year: int | None
    target_id: int

    @property
    def lower_is_better(self) -> bool:
        return self.metric in LOWER_IS_BETTER

    def missed_by(self, value) -> bool:
        """Chưa đạt: strictly below (a rank: strictly above) the target; no value → no flag."""
        if value is None:
            return False
        return float(value) > self.value if self.lower_is_better else float(value) < self.value

    @property
    def source_label(self) -> str:
        return f"{LEVEL_LABELS[self.level]} · {self.source_document}"


class TargetBook:
    """The targets of some provinces for one year, loaded once (2 queries) and resolved in memory.

    `get(metric, unit)` applies the resolution rule of the module docstring; `target_for` is a book of one.
    """

    def __init__(self, *, year: int | None, provinces=()):
        province_ids = sorted({p.pk if isinstance(p, Unit) else int(p) for p in provinces if p is not None})
        self.year = year
        where = Q(province__isnull=True)
        if province_ids:
            where |= Q(province_id__in=province_ids)
        self._rows: dict[tuple, Target] = {}
        for t in Target.objects.filter(where).filter(Q(year=year) | Q(year__isnull=True)).order_by("pk"):
            self._rows[(t.metric, t.province_id, t.unit_id, t.year)] = t
        self._parent: dict[int, int | None] = {}
        if any(k[2] is not None for k in self._rows):  # unit rows exist: the unit tree is needed
            for pk, parent_id in Unit.objects.filter(province_id__in=province_ids).values_list("pk", "parent_id"):
                self._parent[pk] = parent_id

    def _chain(self, unit: Unit | None) -> tuple[list[int], int | None]:
        """Ids from the unit up to (excluding) its province, and the province id."""
        if unit is None:
            return [], None
        province_id = unit.pk if unit.province_id is None else unit.province_id
        ids, cur = [], unit.pk
        while cur is not None and cur != province_id and cur not in ids:
            ids.append(cur)
            cur = self._parent.get(cur, unit.parent_id if cur == unit.pk else None)
        return ids, province_id

    def get(self, metric: str, unit: Unit | None) -> ResolvedTarget | None:
        if metric not in TargetMetric.values:
            raise DomainError(f"metric: không có chỉ tiêu “{metric}”.", code="invalid_choice", field="metric")
        chain, province_id = self._chain(unit)
        levels = [(province_id, u, "unit") for u in chain]
        if province_id is not None:
            levels.append((province_id, None, "province"))
        levels.append((None, None, "national"))
        for prov, unit_id, level in levels:
            for year in (self.year, None):
                t = self._rows.get((metric, prov, unit_id, year))
                if t is not None:
                    return ResolvedTarget(metric=metric, value=float(t.value), level=level,
                                          source_document=t.source_document, year=t.year, target_id=t.pk)
        return None


def target_for(metric: str, unit: Unit | None = None, year: int | None = None) -> ResolvedTarget | None:
    """Mục tiêu đang áp dụng for `metric` at `unit` (None: national) in `year` — unit → province → national."""
    province = None if unit is None else unit.province_unit
    return TargetBook(year=year, provinces=[province]).get(metric, unit)


def targets_visible(user, province: Unit | None) -> list[Target]:
    """The national defaults and the rows of `province` (for the staff page)."""
    q = Q(province__isnull=True)
    if province is not None:
        q |= Q(province=province)
    return list(Target.objects.filter(q).select_related("province", "unit").order_by(
        "province__code", "metric", "-year", "unit__code"))


# ------------------------------------------------------------------------------------------ writes

def _plain(value) -> str:
    """80.00 → '80', 85.50 → '85.5' (audit values)."""
    return format(Decimal(value).normalize(), "f")


def _check_value(metric: str, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError("value: giá trị mục tiêu phải là một số.", code="invalid_number", field="value") from None
    if not value.is_finite():
        raise DomainError("value: giá trị mục tiêu phải là một số.", code="invalid_number", field="value")
    if metric in LOWER_IS_BETTER:
        if value < 1 or value != value.to_integral_value():
            raise DomainError("value: thứ hạng mục tiêu phải là số nguyên từ 1.", code="invalid_number", field="value")
    elif not (0 <= value <= 100):
        raise DomainError("value: tỷ lệ mục tiêu phải từ 0 đến 100 (%).", code="invalid_number", field="value")
    return value


@transaction.atomic
def target_set(
    *, actor, metric: str, value, source_document: str, province: Unit | None = None, unit: Unit | None = None,
    year: int | None = None, source_url: str = "", note: str = "",
) -> Target:
    """Đặt chỉ tiêu: create or replace the row (province, unit, year, metric); audited.

    National defaults (no province): system administrators only. A province's rows: "manage" on that
    province (PAR office, head). 400 naming the field for a bad metric, value, year, unit or missing document.
    """
    if metric not in TargetMetric.values:
        raise DomainError(f"metric: không có chỉ tiêu “{metric}”.", code="invalid_choice", field="metric")
    value = _check_value(metric, value)
    source_document = (source_document or "").strip()
    if not source_document:
        raise DomainError("source_document: ghi số, ngày của nghị quyết/kế hoạch giao chỉ tiêu.", code="required",
                          field="source_document")
    if year is not None and not (2000 <= int(year) <= 2100):
        raise DomainError("year: năm phải từ 2000 đến 2100.", code="invalid", field="year")
    if unit is not None:
        if province is None:
            province = unit.province_unit
        if unit.province_unit.pk != province.pk:
            raise DomainError("unit: đơn vị không thuộc tỉnh đã chọn.", code="unit_outside_province", field="unit")
        if unit.pk == province.pk:
            unit = None
    if province is not None and province.province_id is not None:
        raise DomainError("province: phải là một tỉnh/thành phố.", code="not_a_province", field="province")
    if province is None:
        if not can(actor, "admin"):
            raise ForbiddenError("Chỉ quản trị hệ thống được sửa mục tiêu mặc định toàn quốc.", code="forbidden")
    elif not can(actor, "manage", province):
        raise ForbiddenError("Bạn không có quyền đặt chỉ tiêu của tỉnh này.", code="forbidden")
    row = (Target.objects.select_for_update()
           .filter(province=province, unit=unit, year=year, metric=metric).order_by("pk").first())
    before = None if row is None else {"value": _plain(row.value), "source_document": row.source_document}
    if row is None:
        row = Target(province=province, unit=unit, year=year, metric=metric)
    row.value, row.source_document = value, source_document[:255]
    row.source_url, row.note = (source_url or "").strip()[:500], note or ""
    row.save()
    audit_record(actor=actor, action="units.target_set", obj=row, from_state=before["value"] if before else "",
                 to_state=_plain(value), reason=source_document,
                 data={"metric": metric, "year": year, "province": getattr(province, "code", None),
                       "unit": getattr(unit, "code", None), "before": before})
    return row


@transaction.atomic
def target_delete(*, actor, target_id: int, reason: str = "") -> None:
    """Xóa chỉ tiêu (same rights as target_set); audited."""
    row = Target.objects.select_for_update().filter(pk=target_id).order_by("pk").first()
    if row is None:
        raise NotFoundError("Không có chỉ tiêu này.", code="not_found")
    if row.province_id is None:
        if not can(actor, "admin"):
            raise ForbiddenError("Chỉ quản trị hệ thống được xóa mục tiêu mặc định toàn quốc.", code="forbidden")
    elif not can(actor, "manage", row.province):
        raise ForbiddenError("Bạn không có quyền xóa chỉ tiêu của tỉnh này.", code="forbidden")
    audit_record(actor=actor, action="units.target_deleted", obj=row, from_state=_plain(row.value), reason=reason,
                 data={"metric": row.metric, "year": row.year, "province": getattr(row.province, "code", None),
                       "unit_id": row.unit_id})
    row.delete()
