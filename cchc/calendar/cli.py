"""`cchc calendar ...` commands: due times and working-day counts.

  cchc calendar due --received 2026-02-13T09:00 --days 3 [--province CODE] [--json]
  cchc calendar due --received ... --hours 4 | --same-day | --calendar-days 15
  cchc calendar workdays --from 2026-02-01 --to 2026-02-28 [--province CODE] [--json]

Naive times are Asia/Ho_Chi_Minh; output times are ISO 8601 with +07:00.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from decimal import Decimal

WEEKDAYS_VI = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def register(sub) -> None:
    p = sub.add_parser("calendar", help="lịch làm việc: hạn giải quyết, đếm ngày làm việc")
    actions = p.add_subparsers(dest="calendar_action", metavar="ACTION")

    due = actions.add_parser("due", help="tính hạn giải quyết của một hồ sơ")
    due.add_argument("--received", required=True, help="thời điểm tiếp nhận, ISO 8601 (giờ Việt Nam nếu không ghi múi giờ)")
    amount = due.add_mutually_exclusive_group(required=True)
    amount.add_argument("--days", help="thời hạn theo ngày làm việc")
    amount.add_argument("--hours", help="thời hạn theo giờ làm việc")
    amount.add_argument("--same-day", action="store_true", help="giải quyết trong ngày")
    amount.add_argument("--calendar-days", help="thời hạn theo ngày (lịch)")
    due.add_argument("--province", help="mã tỉnh/thành phố (giờ làm việc và ngày nghỉ riêng)")
    due.add_argument("--json", action="store_true", help="in JSON")
    due.set_defaults(func=handle_due)

    wd = actions.add_parser("workdays", help="đếm ngày làm việc trong một khoảng")
    wd.add_argument("--from", dest="date_from", required=True, help="ngày đầu (YYYY-MM-DD), tính cả ngày này")
    wd.add_argument("--to", dest="date_to", required=True, help="ngày cuối (YYYY-MM-DD), tính cả ngày này")
    wd.add_argument("--province", help="mã tỉnh/thành phố")
    wd.add_argument("--json", action="store_true", help="in JSON")
    wd.set_defaults(func=handle_workdays)

    p.set_defaults(func=_help(p))


def _help(parser: argparse.ArgumentParser):
    def show(args) -> int:
        parser.print_help()
        return 2

    show.needs_django = False
    return show


# ---------------------------------------------------------------------------- helpers
def _human(t: datetime) -> str:
    return f"{t:%d/%m/%Y %H:%M} ({WEEKDAYS_VI[t.weekday()]})"


def _province(code: str | None):
    """Resolve --province (needs the units table: migrate and load reference data first)."""
    if not code:
        return None
    from cchc.core.setup import ensure_ready

    from .selectors import province_by_code

    ensure_ready()
    return province_by_code(code, field="province")


def _run(fn):
    """Turn a DomainError into a CliError that names the flag (exit 2)."""
    from cchc.cli import CliError
    from cchc.core.errors import DomainError

    try:
        return fn()
    except DomainError as exc:
        if exc.code == "bad_range":
            raise CliError(f"--from phải không sau --to: {exc.message}") from None
        flag = {"date_from": "from", "date_to": "to"}.get(exc.field or "", exc.field or "")
        flag = flag.replace("_", "-")
        raise CliError(f"--{flag}: {exc.message}" if flag else exc.message) from None


# ---------------------------------------------------------------------------- handlers
def handle_due(args) -> int:
    from zoneinfo import ZoneInfo

    from cchc.cli import emit_json

    from .parsing import number, parse_amount, parse_moment
    from .selectors import due_summary
    from .workdays import UNIT_CALENDAR_DAYS, UNIT_SAME_DAY, UNIT_WORKING_DAYS, UNIT_WORKING_HOURS

    def compute():
        if args.same_day:
            unit, amount = UNIT_SAME_DAY, Decimal(0)
        elif args.hours is not None:
            unit, amount = UNIT_WORKING_HOURS, parse_amount(args.hours, field="hours")
        elif args.calendar_days is not None:
            unit, amount = UNIT_CALENDAR_DAYS, parse_amount(args.calendar_days, field="calendar_days")
        else:
            unit, amount = UNIT_WORKING_DAYS, parse_amount(args.days, field="days")
        received = parse_moment(args.received, field="received", tz=ZoneInfo("Asia/Ho_Chi_Minh"))
        province = _province(args.province)
        try:
            return unit, amount, province, due_summary(received=received, amount=amount, unit=unit, province=province)
        except Exception as exc:
            if getattr(exc, "field", None) == unit:  # out of range: name the flag the user typed
                exc.field = {UNIT_WORKING_DAYS: "days", UNIT_WORKING_HOURS: "hours", UNIT_SAME_DAY: "same_day",
                             UNIT_CALENDAR_DAYS: "calendar_days"}[unit]
            raise

    unit, amount, province, out = _run(compute)
    if args.json:
        emit_json(out)
        return 0
    from .services import calendar_for

    cal = calendar_for(province)
    label = {
        UNIT_WORKING_DAYS: f"{number(amount)} ngày làm việc",
        UNIT_WORKING_HOURS: f"{number(amount)} giờ làm việc",
        UNIT_CALENDAR_DAYS: f"{number(amount)} ngày (lịch)",
        UNIT_SAME_DAY: "trong ngày",
    }[unit]
    h = cal.hours.as_strings()
    rows = [
        ("Tiếp nhận", _human(datetime.fromisoformat(out["received"]))),
        ("Bắt đầu tính", _human(datetime.fromisoformat(out["counted_from"]))),
        ("Thời hạn", label),
        ("Hạn giải quyết", _human(datetime.fromisoformat(out["due"]))),
        ("Giờ làm việc", f"{h['morning_start']}–{h['morning_end']}, {h['afternoon_start']}–{h['afternoon_end']}"),
        ("Lịch áp dụng", province.name if province else "toàn quốc"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k.ljust(width)} : {v}")
    return 0


def handle_workdays(args) -> int:
    from cchc.cli import emit_json

    from .parsing import parse_day
    from .selectors import workdays_summary

    def compute():
        start = parse_day(args.date_from, field="from")
        end = parse_day(args.date_to, field="to")
        province = _province(args.province)
        return province, workdays_summary(start=start, end=end, province=province)

    province, out = _run(compute)
    if args.json:
        emit_json(out)
        return 0
    start, end = date.fromisoformat(out["from"]), date.fromisoformat(out["to"])
    where = province.name if province else "toàn quốc"
    print(f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} ({where}): {out['working_days']} ngày làm việc")
    for title, items in (
        ("Ngày thường được nghỉ:", out["non_working_weekdays"]),
        ("Ngày cuối tuần phải làm việc (làm bù):", out["working_weekend_days"]),
    ):
        print()
        print(title)
        if not items:
            print("  (không có)")
        for item in items:
            d = date.fromisoformat(item["date"])
            print(f"  {d:%d/%m/%Y}  {WEEKDAYS_VI[d.weekday()]:<9} {item['name']}")
    return 0
