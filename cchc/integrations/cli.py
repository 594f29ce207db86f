"""`cchc integrations selftest [--json] [--only NAME]` (tự kiểm tra các kết nối ngoài).

Exit 0 when every check of every chosen adapter passes, 1 when any fails, 2 on bad input (unknown --only).
"""

from __future__ import annotations

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("integrations", help="kết nối hệ thống ngoài: tự kiểm tra")
    s = p.add_subparsers(dest="integrations_command", metavar="ACTION")
    t = s.add_parser("selftest", help="chạy các phép kiểm tra hợp đồng của từng bộ kết nối")
    t.add_argument("--json", action="store_true")
    t.add_argument("--only", help="chỉ kiểm tra bộ kết nối có tên này")
    t.set_defaults(func=cmd_selftest)


def cmd_selftest(args) -> int:
    from . import registry

    try:
        report = registry.selftest(only=args.only)
    except KeyError:
        names = ", ".join(a.name for a in registry.adapters()) or "(chưa có)"
        raise CliError(f"--only: không có bộ kết nối {args.only!r}; có: {names}") from None
    if args.json:
        emit_json(report)
    else:
        for a in report["adapters"]:
            print(f"{'ĐẠT ' if a['ok'] else 'LỖI '} {a['name']}  {a['endpoint']}")
            for c in a["checks"]:
                print(f"   {'✓' if c['ok'] else '✗'} {c['name']}: {c['detail']}")
        if not report["adapters"]:
            print("Chưa có bộ kết nối nào được đăng ký.")
    return 0 if all(a["ok"] for a in report["adapters"]) else 1
