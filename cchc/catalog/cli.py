"""`cchc catalog import|search|report|publish-list` commands."""

from __future__ import annotations

import datetime as dt
import sys

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("catalog", help="danh mục thủ tục hành chính: import, search, report")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION")

    imp = csub.add_parser("import", help="nhập danh mục TTHC từ CSV/XLSX (idempotent)")
    imp.add_argument("file")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=cmd_import)

    s = csub.add_parser("search", help="tra cứu thủ tục (không phân biệt dấu, hoa thường)")
    s.add_argument("query")
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--province", help="mã tỉnh: chỉ thủ tục tỉnh đang áp dụng")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_search)

    r = csub.add_parser("report", help="số liệu kiểm soát, đơn giản hóa TTHC của tỉnh trong kỳ")
    r.add_argument("--province", required=True)
    r.add_argument("--from", dest="date_from", required=True)
    r.add_argument("--to", dest="date_to", required=True)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_report)


def _date(text: str, flag: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise CliError(f"{flag}: ngày không hợp lệ {text!r} (định dạng YYYY-MM-DD)") from exc


def _province(code: str):
    """A province by code; also by name or old (pre-2025) code/name, followed to its current successor."""
    from cchc.units.models import Unit, UnitKind

    unit = Unit.objects.filter(code=code, kind=UnitKind.PROVINCE).first()
    if unit is None:
        from cchc.units.selectors import current_successor, province_by_name_or_code

        found = province_by_name_or_code(code)
        if found is not None and found.kind == UnitKind.OLD_PROVINCE:
            found = current_successor(found)
        unit = found if found is not None and found.kind == UnitKind.PROVINCE else None
    if unit is None:
        raise CliError(f"--province: không có tỉnh mã {code!r}")
    return unit


def cmd_import(args) -> int:
    from cchc.core.setup import migrate_if_needed

    from .services import procedure_import

    migrate_if_needed(stdout=sys.stderr)
    summary = procedure_import(path=args.file)
    if args.json:
        emit_json(summary)
    else:
        print(
            f"Tổng {summary['rows']} dòng: thêm {summary['created']}, cập nhật {summary['updated']}, "
            f"không đổi {summary['unchanged']}; thời hạn cần xác minh {summary['flagged_time']}; "
            f"phí, lệ phí cần xác minh {summary['flagged_fee']}; loại {len(summary['rejected'])}."
        )
        for item in summary["rejected"]:
            print(f"  dòng {item['row']} ({item['code'] or '—'}): {item['reason']}")
        for item in summary["flagged_fees"]:
            print(f"  dòng {item['row']} ({item['code']}): phí “{item['fee']}” — {item['reason']}")
    return 0


def cmd_search(args) -> int:
    from cchc.core.setup import ensure_ready

    from .search import search_procedures

    if args.limit < 1:
        raise CliError(f"--limit phải là số nguyên dương (nhận {args.limit})")
    limit = min(args.limit, 100)  # more than 100 is answered with the best 100, not refused
    if not args.query.strip():
        raise CliError("cần nội dung tìm kiếm")
    ensure_ready(stdout=sys.stderr)
    province = _province(args.province) if args.province else None
    hits = search_procedures(args.query, limit=limit, province=province)
    if args.json:
        emit_json([h.as_dict() for h in hits])
    else:
        if not hits:
            print("Không tìm thấy thủ tục phù hợp.")
        for h in hits:
            print(f"{h.score:7.4f}  {h.code:<10} {h.name}")
    return 0


def cmd_report(args) -> int:
    from cchc.core.setup import ensure_ready

    from .selectors import simplification_report

    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if date_from > date_to:
        raise CliError("--from phải trước hoặc bằng --to")
    ensure_ready(stdout=sys.stderr)
    report = simplification_report(province=_province(args.province), date_from=date_from, date_to=date_to)
    if args.json:
        emit_json(report)
    else:
        print(
            f"{report['province_name']} ({report['from']} → {report['to']}): {report['in_force']:,} thủ tục "
            f"đang áp dụng; {report['simplified']:,} đã đơn giản hóa ({report['simplified_pct']}%); "
            f"ban hành mới {report['new']}, sửa đổi {report['amended']}, bãi bỏ {report['abolished']}; "
            f"cắt giảm thời gian {report['time_cut']}."
        )
    return 0
