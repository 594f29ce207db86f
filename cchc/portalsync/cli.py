"""`cchc portalsync ...` commands (đồng bộ Cổng DVC quốc gia).

  cchc portalsync reconcile --province CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
  cchc portalsync send [--limit N] [--json]          send the due outbox events now
  cchc portalsync backfill --province CODE [--json]  initial sync: one event per dossier not yet in the outbox
Exit 0; reconcile exits 1 when the portal cannot be read, 2 on bad input.
"""

from __future__ import annotations

import sys
from datetime import date

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("portalsync", help="đồng bộ Cổng Dịch vụ công quốc gia")
    psub = p.add_subparsers(dest="portalsync_command", metavar="ACTION")
    r = psub.add_parser("reconcile", help="đối soát hồ sơ giữa nền tảng và Cổng DVC quốc gia")
    r.add_argument("--province", required=True, help="mã tỉnh")
    r.add_argument("--from", dest="date_from", default="", help="tiếp nhận từ ngày (YYYY-MM-DD)")
    r.add_argument("--to", dest="date_to", default="", help="tiếp nhận đến ngày (YYYY-MM-DD)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_reconcile)
    s = psub.add_parser("send", help="gửi ngay các sự kiện đồng bộ đến hạn")
    s.add_argument("--limit", type=int, default=500)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_send)
    b = psub.add_parser("backfill", help="đồng bộ ban đầu: một sự kiện cho mỗi hồ sơ chưa có trong hộp thư đi")
    b.add_argument("--province", required=True)
    b.add_argument("--json", action="store_true")
    b.set_defaults(func=cmd_backfill)


def _province(code: str):
    from cchc.units.models import Unit, UnitKind

    unit = Unit.objects.filter(code=code.strip(), kind=UnitKind.PROVINCE).first()
    if unit is None:
        raise CliError(f"--province: không có tỉnh mã {code!r}.")
    return unit


def _date(text: str, flag: str):
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CliError(f"{flag}: ngày phải theo dạng YYYY-MM-DD.") from None


def cmd_reconcile(args) -> int:
    from .selectors import reconcile

    report = reconcile(province=_province(args.province), received_from=_date(args.date_from, "--from"),
                       received_to=_date(args.date_to, "--to"))
    if args.json:
        emit_json(report)
    else:
        if report["error"]:
            sys.stderr.write(report["error"] + "\n")
        else:
            print(f"Nền tảng: {report['platform_total']} hồ sơ; Cổng: {report['portal_total']}; khớp {report['matched']}; "
                  f"thiếu {report['missing_count']}; thừa {report['extra_count']}; lệch trạng thái {report['mismatch_count']}")
    return 1 if report["error"] else 0


def cmd_send(args) -> int:
    from .services import events_send_due

    counts = events_send_due(limit=args.limit)
    emit_json(counts) if args.json else print(counts)
    return 0


def cmd_backfill(args) -> int:
    from .services import backfill

    n = backfill(province=_province(args.province), actor="cli")
    emit_json({"events": n}) if args.json else print(f"Đã tạo {n} sự kiện.")
    return 0
