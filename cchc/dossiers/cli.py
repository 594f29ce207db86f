"""`cchc dossiers ...` commands: watch, scheduler, purge, stats, late-steps, notify."""

from __future__ import annotations

import sys
import time
from datetime import date

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("dossiers", help="hồ sơ một cửa: theo dõi hạn, lịch chạy định kỳ, thống kê")
    dsub = p.add_subparsers(dest="dossiers_command", metavar="ACTION")

    w = dsub.add_parser("watch", help="đánh dấu hồ sơ đến hạn hôm nay, quá hạn, bước trễ; xếp hàng thông báo")
    w.add_argument("--json", action="store_true")
    w.set_defaults(func=cmd_watch)

    s = dsub.add_parser("scheduler", help="chạy định kỳ: theo dõi hạn và gửi thông báo mỗi lần; dọn tệp mỗi đêm (từ 02:00)")
    s.add_argument("--every", type=float, default=15.0, help="số phút giữa hai lần (mặc định 15)")
    s.add_argument("--once", action="store_true", help="chạy một lần rồi thoát")
    s.add_argument("--iterations", type=int, default=0, help="số lần chạy rồi thoát (0 = mãi mãi)")
    s.add_argument("--inline", action="store_true", help="thực thi ngay trong tiến trình thay vì xếp hàng cho db_worker")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_scheduler)

    pg = dsub.add_parser("purge", help="dọn ngay tệp chờ nộp bỏ dở và tệp mồ côi (việc hằng đêm của scheduler)")
    pg.add_argument("--json", action="store_true")
    pg.set_defaults(func=cmd_purge)

    n = dsub.add_parser("notify", help="gửi các thông báo đang chờ")
    n.add_argument("--json", action="store_true")
    n.set_defaults(func=cmd_notify)

    st = dsub.add_parser("stats", help="thống kê hồ sơ trong kỳ")
    st.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
    st.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
    st.add_argument("--group-by", default="unit", help="unit | procedure | channel | none (phân tách dấu phẩy)")
    st.add_argument("--unit", action="append", default=[], help="mã đơn vị tiếp nhận (lặp lại được)")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_stats)

    ls = dsub.add_parser("late-steps", help="bước xử lý trễ hạn theo đơn vị / cán bộ")
    ls.add_argument("--from", dest="date_from", required=True)
    ls.add_argument("--to", dest="date_to", required=True)
    ls.add_argument("--by", choices=["unit", "person", "step"], default="unit")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_late_steps)


def _ready() -> None:
    from cchc.core.setup import ensure_ready

    ensure_ready(stdout=sys.stderr)


def _date(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CliError(f"{flag}: ngày không hợp lệ {value!r} (dùng YYYY-MM-DD)") from None


def cmd_watch(args) -> int:
    _ready()
    from .services import dossiers_watch

    result = dossiers_watch()
    if args.json:
        emit_json(result)
    else:
        print(f"Đến hạn hôm nay: {len(result['due_today'])} | Quá hạn: {len(result['overdue'])} | "
              f"Bước trễ: {len(result['late_steps'])} | Thông báo mới: {result['notifications_queued']}")
        for code in result["overdue"][:50]:
            print(f"  quá hạn  {code}")
    return 0


def cmd_notify(args) -> int:
    _ready()
    from .services import notifications_send_pending

    result = notifications_send_pending()
    emit_json(result) if args.json else print(f"Đã gửi {result['sent']}, lỗi {result['failed']}.")
    return 0


def cmd_scheduler(args) -> int:
    if args.every <= 0:
        raise CliError("--every: số phút phải lớn hơn 0")
    if args.iterations < 0:
        raise CliError("--iterations: không được âm")
    _ready()
    from .tasks import jobs_due

    limit = 1 if args.once else args.iterations
    runs = []
    i = 0
    while True:
        i += 1
        tick = []
        for job in jobs_due():
            if args.inline:
                tick.append({"iteration": i, "task": job.name, "schedule": job.schedule, "result": job.task.call()})
            else:
                result = job.task.enqueue()
                tick.append({"iteration": i, "task": job.name, "schedule": job.schedule, "enqueued": str(result.id)})
        runs += tick
        if not args.json:
            print(f"[{time.strftime('%H:%M:%S')}] lần {i}: " + ", ".join(r["task"] for r in tick), flush=True)
        if limit and i >= limit:
            break
        time.sleep(args.every * 60)
    if args.json:
        emit_json({"iterations": i, "runs": runs})
    return 0


def cmd_purge(args) -> int:
    """Dọn ngay tệp chờ nộp bỏ dở và tệp mồ côi (the two nightly purges, run now, inline)."""
    _ready()
    from . import online, storage

    pending = online.pending_uploads_purge()
    orphans = storage.orphan_files_purge()
    if args.json:
        emit_json({"pending_uploads": pending, "orphan_files": len(orphans)})
    else:
        print(f"Đã xoá {pending} tệp chờ nộp bỏ dở và {len(orphans)} tệp mồ côi.")
    return 0


def cmd_stats(args) -> int:
    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if date_to < date_from:
        raise CliError("--to: ngày kết thúc trước ngày bắt đầu")
    group_by = () if args.group_by in ("", "none") else tuple(g.strip() for g in args.group_by.split(",") if g.strip())
    if any(g not in ("unit", "procedure", "channel") for g in group_by):
        raise CliError("--group-by: chỉ nhận unit, procedure, channel hoặc none")
    _ready()
    from cchc.units.models import Unit

    from .selectors import dossier_statistics

    units = None
    if args.unit:
        units = list(Unit.objects.filter(code__in=args.unit))
        missing = set(args.unit) - {u.code for u in units}
        if missing:
            raise CliError(f"--unit: không có đơn vị {', '.join(sorted(missing))}")
    rows = dossier_statistics(units=units, date_from=date_from, date_to=date_to, group_by=group_by)
    if args.json:
        emit_json({"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "group_by": list(group_by), "rows": rows})
        return 0
    for r in rows:
        label = " / ".join(str(r.get(k)) for k in ("unit", "procedure", "channel") if k in r) or "Tổng"
        print(f"{label}: nhận {r['received']} (kỳ trước {r['carried_over']} + mới {r['received_new']}), "
              f"giải quyết {r['settled']} (trước hạn {r['settled_early']}, đúng hạn {r['settled_on_time']}, quá hạn {r['settled_late']}), "
              f"tỷ lệ đúng hạn {r['on_time_rate'] if r['on_time_rate'] is not None else '–'}%")
    return 0


def cmd_late_steps(args) -> int:
    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    _ready()
    from .selectors import late_steps_by

    rows = late_steps_by(by=args.by, date_from=date_from, date_to=date_to)
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            print(f"{r[args.by]} {r['name'] or ''}: {r['late']}/{r['steps']} bước trễ, {r['open_late']} đang trễ")
    return 0
