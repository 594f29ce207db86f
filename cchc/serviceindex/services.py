"""Writes of the 766 index: create / revise an indicator set (never mutating a version), enter figures.

Every write runs in one transaction with its audit event (cchc.core.audit).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import DomainError, ForbiddenError

from . import scoring
from .models import EnteredFigure, Indicator, IndicatorGroup, IndicatorSet, InputSource
from .periods import PeriodError, parse_period


def _dec(value, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(f"{field}: {value!r} không phải là số.", code="not_a_number", field=field) from None
    if not d.is_finite():
        raise DomainError(f"{field}: phải là số hữu hạn.", code="not_a_number", field=field)
    return d


def validate_spec(spec: dict) -> None:
    """A set's groups and indicators: known rules and sources, non-negative maxima, targets in (0, 100],
    and in each group the indicators' maxima add up to the group's maximum (the confirmed figure)."""
    groups = spec.get("groups") or []
    if not groups:
        raise DomainError("groups: bộ chỉ số phải có ít nhất một nhóm.", code="empty_set", field="groups")
    codes = set()
    for g in groups:
        gmax = _dec(g.get("max"), f"{g.get('code')}.max")
        total = Decimal(0)
        for i in g.get("indicators") or []:
            code = str(i.get("code") or "").strip()
            if not code or code in codes:
                raise DomainError(f"chỉ tiêu {code!r}: mã trống hoặc trùng.", code="duplicate_indicator", field="code")
            codes.add(code)
            if i.get("rule", scoring.CAPPED_LINEAR) not in scoring.RULES:
                raise DomainError(f"{code}.rule: chỉ nhận {', '.join(scoring.RULES)}.", code="invalid_rule", field="rule")
            if i.get("source", InputSource.PLATFORM) not in InputSource.values:
                raise DomainError(f"{code}.source: chỉ nhận platform hoặc entered.", code="invalid_source", field="source")
            mx = _dec(i.get("max"), f"{code}.max")
            if mx < 0:
                raise DomainError(f"{code}.max: điểm tối đa không được âm.", code="negative_max", field="max")
            if i.get("target") is not None:
                t = _dec(i["target"], f"{code}.target")
                if not Decimal(0) < t <= Decimal(100):
                    raise DomainError(f"{code}.target: ngưỡng phải trong (0; 100].", code="invalid_target", field="target")
            if i.get("source", InputSource.PLATFORM) == InputSource.PLATFORM:
                from .compute import PLATFORM_KEYS

                for side in ("numerator", "denominator"):
                    if i.get(side) not in PLATFORM_KEYS:
                        raise DomainError(f"{code}.{side}: khóa {i.get(side)!r} không có trên nền tảng.", code="unknown_key", field=side)
            total += mx
        if total != gmax:
            raise DomainError(f"nhóm {g.get('code')}: tổng điểm tối đa các chỉ tiêu ({total}) phải bằng điểm tối đa nhóm ({gmax}).",
                              code="group_sum_mismatch", field="max")


@transaction.atomic
def indicator_set_create(*, spec: dict, actor=None, copied_from: IndicatorSet | None = None) -> IndicatorSet:
    """Create one version of an indicator set from a spec (the shipped JSON's shape)."""
    validate_spec(spec)
    family = spec.get("family", "qd766")
    version = spec.get("version") or (max(IndicatorSet.objects.filter(family=family).values_list("version", flat=True), default=0) + 1)
    iset = IndicatorSet.objects.create(
        family=family, version=version, name=spec["name"], decision_no=spec.get("decision_no", ""),
        effective_from=date.fromisoformat(str(spec["effective_from"])), confirmed=bool(spec.get("confirmed", False)),
        source=spec.get("source", ""), notes=spec.get("notes", ""), copied_from=copied_from,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for gpos, g in enumerate(spec["groups"]):
        group = IndicatorGroup.objects.create(indicator_set=iset, code=g["code"], name=g["name"], max_points=_dec(g["max"], "max"), position=gpos)
        for ipos, i in enumerate(g["indicators"]):
            Indicator.objects.create(
                group=group, code=i["code"], name=i["name"], numerator_key=i.get("numerator", ""),
                denominator_key=i.get("denominator", ""), input_source=i.get("source", InputSource.PLATFORM),
                target=None if i.get("target") is None else _dec(i["target"], "target"), max_points=_dec(i["max"], "max"),
                max_confirmed=bool(i.get("max_confirmed", False)), rule=i.get("rule", scoring.CAPPED_LINEAR),
                steps=i.get("steps") or {}, citation=i.get("citation", ""), position=ipos,
            )
    audit_record(actor=actor, action="serviceindex.set_create", obj=iset, to_state=f"v{iset.version}",
                 data={"family": family, "version": iset.version, "copied_from": copied_from.pk if copied_from else None})
    return iset


def set_spec(iset: IndicatorSet) -> dict:
    """The spec of an existing version (to copy and edit)."""
    from .compute import definition

    return {
        "family": iset.family, "name": iset.name, "decision_no": iset.decision_no, "effective_from": iset.effective_from.isoformat(),
        "confirmed": iset.confirmed, "source": iset.source, "notes": iset.notes,
        "groups": [{"code": g["code"], "name": g["name"], "max": g["max"], "indicators": [{
            "code": i["code"], "name": i["name"], "numerator": i["numerator_key"], "denominator": i["denominator_key"],
            "source": i["source"], "target": i["target"], "max": i["max"], "rule": i["rule"], "steps": i["steps"],
            "max_confirmed": i["max_confirmed"], "citation": i["citation"]} for i in g["indicators"]]} for g in definition(iset)],
    }


def indicator_set_revise(*, base: IndicatorSet, changes: dict[str, dict], actor, notes: str = "",
                         effective_from: date | None = None) -> IndicatorSet:
    """Sửa bộ chỉ số: a NEW version copied from `base` with per-indicator changes {code: {"max", "target",
    "rule", "steps"}}; `base` is left untouched. PAR office (or system admin) only."""
    if not isinstance(actor, str) and not can(actor, "appraise", getattr(actor, "unit", None)):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC được sửa bộ chỉ số 766.", code="forbidden")
    spec = set_spec(base)
    spec.pop("version", None)
    known = {i["code"] for g in spec["groups"] for i in g["indicators"]}
    unknown = set(changes) - known
    if unknown:
        raise DomainError(f"không có chỉ tiêu {', '.join(sorted(unknown))}.", code="unknown_indicator", field="indicator")
    for g in spec["groups"]:
        for i in g["indicators"]:
            for k, v in (changes.get(i["code"]) or {}).items():
                if k not in ("max", "target", "rule", "steps"):
                    raise DomainError(f"{i['code']}.{k}: chỉ sửa được max, target, rule, steps.", code="invalid_change", field=k)
                i[k] = v
    if notes:
        spec["notes"] = notes
    if effective_from is not None:
        spec["effective_from"] = effective_from.isoformat()
    return indicator_set_create(spec=spec, actor=actor, copied_from=base)


def figure_enter(*, actor, province, period: str, indicator_code: str, numerator, denominator, unit=None, note: str = "") -> EnteredFigure:
    """Nhập số liệu: one figure the platform does not hold, for a province (or unit) and period (PAR office).

    Numerator and denominator ≥ 0, numerator ≤ denominator; only indicators whose source is "entered"."""
    from .compute import indicator_set_for

    if not isinstance(actor, str) and not can(actor, "appraise", province):  # a str actor: the CLI operator
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC của tỉnh được nhập số liệu chỉ số 766.", code="forbidden")
    try:
        p = parse_period(period)
    except PeriodError as exc:
        raise DomainError(f"period: {exc}", code="invalid_period", field="period") from None
    iset = indicator_set_for(p.date_to)
    ind = Indicator.objects.filter(group__indicator_set=iset, code=indicator_code).first()
    if ind is None:
        raise DomainError(f"indicator: không có chỉ tiêu {indicator_code!r}.", code="unknown_indicator", field="indicator")
    if ind.input_source != InputSource.ENTERED:
        raise DomainError(f"indicator: chỉ tiêu {indicator_code} tính từ hồ sơ trên nền tảng, không nhập tay.", code="not_entered", field="indicator")
    num, den = _dec(numerator, "numerator"), _dec(denominator, "denominator")
    if num < 0 or den < 0:
        raise DomainError("numerator: tử số và mẫu số không được âm.", code="negative", field="numerator" if num < 0 else "denominator")
    if num > den:
        raise DomainError("numerator: tử số không được lớn hơn mẫu số.", code="numerator_above_denominator", field="numerator")
    if unit is not None and unit.province_unit.pk != province.pk:
        raise DomainError(f"unit: đơn vị {unit.code} không thuộc {province.name}.", code="unit_outside_province", field="unit")
    unit = None if unit is not None and unit.pk == province.pk else unit
    with transaction.atomic():
        fig = EnteredFigure.objects.select_for_update().filter(province=province, unit=unit, period=p.label, indicator_code=indicator_code).first()
        before = None if fig is None else {"numerator": str(fig.numerator), "denominator": str(fig.denominator)}
        if fig is None:
            fig = EnteredFigure(province=province, unit=unit, period=p.label, indicator_code=indicator_code)
        fig.numerator, fig.denominator, fig.note = num, den, note[:500]
        fig.entered_by = actor if getattr(actor, "pk", None) else None
        fig.save()
        audit_record(actor=actor, action="serviceindex.figure_enter", obj=fig, from_state="" if before is None else "entered", to_state="entered",
                     data={"period": p.label, "indicator": indicator_code, "unit": unit.code if unit else None, "before": before,
                           "after": {"numerator": str(num), "denominator": str(den)}})
    return fig


FIGURE_COLUMNS = ("period", "indicator", "numerator", "denominator")


def figures_import(*, actor, province, rows: list[dict]) -> dict:
    """Nhập số liệu từ bảng: rows {period, indicator, numerator, denominator, unit?, note?} for one province,
    all or nothing (one bad row → DomainError naming its line and field, nothing written)."""
    from cchc.units.models import Unit

    if not rows:
        raise DomainError("file: bảng không có dòng số liệu nào.", code="empty", field="file")
    missing = [c for c in FIGURE_COLUMNS if c not in rows[0]]
    if missing:
        raise DomainError(f"file: thiếu cột {', '.join(missing)} (cần period, indicator, numerator, denominator; "
                          "tùy chọn unit, note).", code="missing_columns", field="file")
    written = 0
    with transaction.atomic():
        for line, row in enumerate(rows, start=2):
            unit = None
            code = str(row.get("unit") or "").strip()
            try:
                if code:
                    unit = Unit.objects.filter(code=code).first()
                    if unit is None:
                        raise DomainError(f"unit: không có đơn vị mã {code!r}.", code="unknown_unit", field="unit")
                figure_enter(actor=actor, province=province, unit=unit, period=str(row["period"]).strip(),
                             indicator_code=str(row["indicator"]).strip(), numerator=str(row["numerator"]).strip(),
                             denominator=str(row["denominator"]).strip(), note=str(row.get("note") or "")[:500])
            except DomainError as exc:
                raise DomainError(f"dòng {line}: {exc.message}", code=exc.code, field=exc.field, extra={"line": line}) from None
            written += 1
    return {"province": province.code, "figures": written}


def read_figure_table(data: bytes, *, name: str = "") -> list[dict]:
    """Rows of a CSV (UTF-8, "," or ";") or XLSX table with a header line, as {column: text} (lower-case keys)."""
    import csv
    import io

    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parser failure: an unreadable file
            raise DomainError(f"file: không đọc được tệp XLSX ({exc.__class__.__name__}).", code="bad_file", field="file") from None
        table = [["" if c is None else str(c) for c in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError("file: tệp CSV phải mã hóa UTF-8.", code="bad_file", field="file") from None
        delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    table = [r for r in table if any(str(c).strip() for c in r)]
    if not table:
        return []
    header = [str(c).strip().lower() for c in table[0]]
    width = len(header)  # short rows (trailing empty cells dropped by the writer) read as empty cells
    return [dict(zip(header, [str(c).strip() for c in [*r, *[""] * (width - len(r))]][:width], strict=True)) for r in table[1:]]
