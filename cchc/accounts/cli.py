"""`cchc users ...` commands.

  cchc users token USERNAME [--json]                       print (create if missing) the API token
  cchc users create USERNAME --role ROLE [--unit CODE] [--password P] [--json]
"""

from __future__ import annotations

import sys

from cchc.cli import emit_json


def register(sub) -> None:
    p = sub.add_parser("users", help="tài khoản người dùng")
    usub = p.add_subparsers(dest="users_command", metavar="ACTION")

    t = usub.add_parser("token", help="in mã token API của người dùng (tạo nếu chưa có)")
    t.add_argument("username")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=cmd_token)

    c = usub.add_parser("create", help="tạo tài khoản cán bộ hoặc người dân")
    c.add_argument("username")
    c.add_argument("--role", required=True, help="one_stop_officer, specialist, unit_head, par_office, "
                                                 "province_leader, system_admin, citizen")
    c.add_argument("--unit", default="", help="mã đơn vị (bắt buộc với cán bộ)")
    c.add_argument("--password", default="")
    c.add_argument("--full-name", default="")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_create)


def cmd_token(args) -> int:
    from cchc.core.setup import migrate_if_needed

    from .services import user_token_get_or_create

    migrate_if_needed(stdout=sys.stderr)  # a token needs no reference data, only the tables
    user, key, _ = user_token_get_or_create(username=args.username, actor="cli")
    if args.json:
        emit_json({"username": user.username, "token": key})
    else:
        print(key)
    return 0


def cmd_create(args) -> int:
    from cchc.core.setup import ensure_ready

    from .services import user_create

    ensure_ready(stdout=sys.stderr)
    user = user_create(username=args.username, role=args.role, unit_code=args.unit, password=args.password,
                       full_name=args.full_name, actor="cli")
    data = {"username": user.username, "role": user.role, "unit": user.unit.code if user.unit_id else None,
            "has_password": user.has_usable_password()}
    if args.json:
        emit_json(data)
    else:
        print(f"Đã tạo {user.username} ({user.get_role_display()}"
              f"{', ' + user.unit.name if user.unit_id else ''}).")
    return 0
