"""`cchc rollups rebuild [--province CODE] [--from DATE --to DATE] [--json]`: recompute the rollup tables."""

from __future__ import annotations

import sys
import time
from datetime import date

from cchc.cli import CliError, emit_json
from cchc.core.numbers import format_vn


def register(sub) -> None:
    p = sub.add_parser("rollups", help="số liệu tổng hợp hồ sơ (bảng thống kê đọc từ đây)")
    rsub = p.add_subparsers(dest="rollups_command", metavar="ACTION")
    r = rsub.add_parser("rebuild", help="tính lại số liệu tổng hợp từ hồ sơ (cả tỉnh, hoặc một khoảng ngày)")
    r.add_argument("--province", default="", help="mã tỉnh (mặc định: mọi tỉnh)")
    r.add_argument("--from", dest="date_from", default="", help="YYYY-MM-DD (ngày đầu, tính cả ngày này)")
    r.add_argument("--to", dest="date_to", default="", help="YYYY-MM-DD (ngày cuối, tính cả ngày này)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_rebuild)


def _date(value: str, flag: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CliError(f"{flag}: ngày không hợp lệ {value!r} (dùng YYYY-MM-DD)") from None


def cmd_rebuild(args) -> int:
    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if date_from and date_to and date_to < date_from:
        raise CliError("--to: ngày kết thúc trước ngày bắt đầu")
    from cchc.core.setup import ensure_ready

    ensure_ready(stdout=sys.stderr)
    from cchc.units.models import Unit

    from .rollups import rebuild

    province = None
    if args.province:
        province = Unit.objects.filter(code=args.province, province__isnull=True).first()
        if province is None:
            raise CliError(f"--province: không có tỉnh mã {args.province!r}")
    started = time.perf_counter()
    result = rebuild(province=province, date_from=date_from, date_to=date_to)
    result["seconds"] = round(time.perf_counter() - started, 3)
    if args.json:
        emit_json(result)
    else:
        print(f"Đã tính lại số liệu tổng hợp từ {format_vn(result['dossiers'])} hồ sơ: {format_vn(result['rows'])} dòng chi tiết, "
              f"{format_vn(result['unit_rows'])} dòng theo đơn vị ({format_vn(result['seconds'], 1)} giây)")
    return 0
