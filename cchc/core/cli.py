"""`cchc setup`, `cchc demo`, `cchc audit verify`, `cchc backup -o FILE`, `cchc restore FILE`."""

from __future__ import annotations

import sys

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("setup", help="migrate and load reference data (idempotent)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("demo", help="build the realistic demo province (idempotent)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("audit", help="audit log")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = asub.add_parser("verify", help="check the hash chain of the audit log")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("backup", help="database + uploaded files into one archive (restorable on either database)")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore an archive of `cchc backup` into an empty database")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_restore)


def cmd_setup(args) -> int:
    from .setup import load_reference, migrate_if_needed

    out = sys.stderr if args.json else sys.stdout
    migrate_if_needed(stdout=out)
    summary = load_reference(stdout=out)
    if args.json:
        emit_json(summary)
    return 0


def cmd_demo(args) -> int:
    from .setup import build_demo, load_reference, migrate_if_needed

    out = sys.stderr if args.json else sys.stdout
    migrate_if_needed(stdout=out)
    load_reference(stdout=out)
    ctx = build_demo(stdout=out)
    logins = ctx.get("logins", [])
    if args.json:
        emit_json({"logins": logins})
    else:
        print("\nTài khoản demo:")
        header = ("Tên đăng nhập", "Mật khẩu", "Vai trò", "Đơn vị")
        rows = [(i["username"], i["password"], i.get("role", ""), i.get("unit", "")) for i in logins]
        widths = [max(len(r[c]) for r in [header, *rows]) for c in range(3)]
        for row in [header, *rows]:
            print("  " + "  ".join(str(v).ljust(w) for v, w in zip(row[:3], widths, strict=True)) + "  " + str(row[3]))
    return 0


def cmd_audit_verify(args) -> int:
    from .audit import audit_verify
    from .setup import migrate_if_needed

    migrate_if_needed(stdout=sys.stderr)  # a brand-new database: an empty chain, not a traceback
    report = audit_verify()
    if args.json:
        emit_json(report.as_dict())
    else:
        if report.ok:
            print(f"Chuỗi nhật ký toàn vẹn: {report.checked} bản ghi.")
        else:
            print(f"Chuỗi nhật ký bị phá vỡ tại #{report.first_bad_seq}: {report.problem}")
    if not report.ok:
        raise CliError(f"audit chain broken at #{report.first_bad_seq}: {report.problem}", code=1)
    return 0


def cmd_backup(args) -> int:
    from .backup import backup

    report = backup(args.output)
    if args.json:
        emit_json(report.as_dict())
    else:
        print(f"Đã sao lưu vào {report.file}: {report.tables} bảng, {report.rows} dòng, {report.files} tệp "
              f"({report.archive_bytes} byte).")
    return 0


def cmd_restore(args) -> int:
    from .backup import restore
    from .setup import migrate_if_needed

    migrate_if_needed(stdout=sys.stderr)  # a brand-new database gets its tables first
    report = restore(args.file)
    if args.json:
        emit_json(report.as_dict())
    else:
        print(f"Đã khôi phục từ {report.file}: {report.tables} bảng, {report.rows} dòng, {report.files} tệp; "
              f"chuỗi nhật ký {'toàn vẹn' if report.audit.get('ok') else 'BỊ PHÁ VỠ'} ({report.audit.get('checked')} bản ghi).")
    return 0 if report.audit.get("ok") else 1
