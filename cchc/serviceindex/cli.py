"""`cchc serviceindex compute|warn|enter ...` (Chỉ số 766).

  cchc serviceindex compute --province 80 --period 2026-10 [--unit CODE] [--field "Hộ tịch"] [--json]
  cchc serviceindex warn --province 80 [--days 2] [--unit CODE] [--json]
  cchc serviceindex enter --province 80 --period 2026-10 --indicator 1.1 --numerator 10 --denominator 12 [--unit CODE]
  cchc serviceindex import FILE.csv|xlsx --province 80   (all rows or none)
Bad --province / --period / --unit / --days → "lỗi: --flag: …" on stderr, exit 2.
"""

from __future__ import annotations

import sys

from cchc.cli import CliError, emit_json
from cchc.core.numbers import format_vn


def register(sub) -> None:
    p = sub.add_parser("serviceindex", help="Chỉ số 766 (phục vụ người dân, doanh nghiệp): tính điểm, cảnh báo sớm")
    s = p.add_subparsers(dest="serviceindex_command", metavar="ACTION")

    c = s.add_parser("compute", help="tính chỉ số 766 của tỉnh/đơn vị cho một kỳ")
    c.add_argument("--province", required=True, help="mã tỉnh (cả mã trước 2025)")
    c.add_argument("--period", required=True, help="YYYY-MM, YYYY-Qn hoặc YYYY")
    c.add_argument("--unit", help="mã đơn vị (tính cho đơn vị và các đơn vị trực thuộc)")
    c.add_argument("--field", help="lĩnh vực thủ tục")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_compute)

    w = s.add_parser("warn", help="hồ sơ sắp quá hạn trong N ngày làm việc và điểm có nguy cơ mất")
    w.add_argument("--province", required=True)
    w.add_argument("--days", default="2", help="số ngày làm việc (1–30, mặc định 2)")
    w.add_argument("--unit")
    w.add_argument("--json", action="store_true")
    w.set_defaults(func=cmd_warn)

    e = s.add_parser("enter", help="nhập số liệu nền tảng không có (source: entered)")
    e.add_argument("--province", required=True)
    e.add_argument("--period", required=True)
    e.add_argument("--indicator", required=True)
    e.add_argument("--numerator", required=True)
    e.add_argument("--denominator", required=True)
    e.add_argument("--unit")
    e.add_argument("--note", default="")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_enter)

    im = s.add_parser("import", help="nhập số liệu từ bảng CSV/XLSX: period, indicator, numerator, denominator[, unit, note]")
    im.add_argument("file")
    im.add_argument("--province", required=True)
    im.add_argument("--json", action="store_true")
    im.set_defaults(func=cmd_import)


def _province(code):
    from cchc.calendar.selectors import province_by_code
    from cchc.core.errors import DomainError
    from cchc.core.setup import ensure_ready

    ensure_ready(stdout=sys.stderr)
    try:
        return province_by_code(code, field="province")
    except DomainError as exc:
        raise CliError(f"--province: {exc.message}") from None


def _period(text):
    from .periods import PeriodError, check_year, parse_period

    try:
        return check_year(parse_period(text))
    except PeriodError as exc:
        raise CliError(f"--period: {exc}") from None


def _unit(code, province):
    if not code:
        return None
    from cchc.units.models import Unit

    unit = Unit.objects.filter(code=str(code).strip()).first()
    if unit is None:
        raise CliError(f"--unit: không có đơn vị mã {code!r}")
    if unit.province_unit.pk != province.pk:
        raise CliError(f"--unit: đơn vị {unit.code} không thuộc {province.name}")
    return unit


def _fmt(v) -> str:
    if v is None:
        return "–"
    return format_vn(v, 2)


def cmd_compute(args) -> int:
    period = _period(args.period)
    province = _province(args.province)
    unit = _unit(args.unit, province)
    from .compute import compute_index

    out = compute_index(province=province, period=period, unit=unit, field=args.field)
    if args.json:
        emit_json(out)
        return 0
    where = out["unit_name"] or out["province_name"]
    print(f"Chỉ số 766 · {where} · {out['period_label']}{' (chưa hết kỳ)' if out['partial'] else ''}: "
          f"{_fmt(out['total']['points'])}/{_fmt(out['total']['max'])} điểm")
    for g in out["groups"]:
        print(f"  {g['code']} {g['name']}: {_fmt(g['points'])}/{_fmt(g['max'])}")
        for i in g["indicators"]:
            state = {"no_data": "chưa có số liệu", "not_applicable": "không phát sinh"}.get(i["status"], "")
            print(f"    {i['code']} {i['name']}: {i['numerator'] if i['numerator'] is not None else '–'}/"
                  f"{i['denominator'] if i['denominator'] is not None else '–'} = {_fmt(i['rate'])}% → "
                  f"{_fmt(i['points'])}/{_fmt(i['max'])} {state}".rstrip())
    return 0


def cmd_warn(args) -> int:
    try:
        days = int(str(args.days).strip())
    except ValueError:
        raise CliError(f"--days: {args.days!r} không phải số nguyên") from None
    from .early_warning import MAX_DAYS, going_late

    if not 1 <= days <= MAX_DAYS:
        raise CliError(f"--days: số ngày làm việc phải từ 1 đến {MAX_DAYS}")
    province = _province(args.province)
    unit = _unit(args.unit, province)
    out = going_late(province=province, days=days, unit=unit)
    if args.json:
        emit_json(out)
        return 0
    print(f"Hồ sơ sẽ quá hạn trong {days} ngày làm việc: {len(out['dossiers'])}")
    for u in out["units"]:
        print(f"  {u['name']}: {u['dossiers']} hồ sơ, có thể mất {_fmt(u['points_at_risk'])} điểm tháng {out['month']}")
    return 0


def cmd_enter(args) -> int:
    period = _period(args.period)
    province = _province(args.province)
    unit = _unit(args.unit, province)
    from cchc.core.errors import DomainError

    from .services import figure_enter

    try:
        fig = figure_enter(actor="cli", province=province, period=period.label, indicator_code=args.indicator,
                           numerator=args.numerator, denominator=args.denominator, unit=unit, note=args.note)
    except DomainError as exc:
        field = exc.field or "indicator"
        message = exc.message.removeprefix(f"{field}: ")
        raise CliError(f"--{field}: {message}") from None
    out = {"province": province.code, "unit": unit.code if unit else None, "period": fig.period, "indicator": fig.indicator_code,
           "numerator": float(fig.numerator), "denominator": float(fig.denominator), "source": "entered"}
    emit_json(out) if args.json else print(f"Đã nhập {fig.indicator_code} kỳ {fig.period}: {fig.numerator}/{fig.denominator}")
    return 0


def cmd_import(args) -> int:
    from pathlib import Path

    from cchc.core.errors import DomainError

    from .services import figures_import, read_figure_table

    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"file: không tìm thấy tệp {args.file}")
    province = _province(args.province)
    try:
        out = figures_import(actor="cli", province=province, rows=read_figure_table(path.read_bytes(), name=path.name))
    except DomainError as exc:
        raise CliError(f"{args.file}: {exc.message}") from None
    emit_json(out) if args.json else print(f"Đã nhập {out['figures']} số liệu cho {province.name}.")
    return 0
