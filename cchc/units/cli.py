"""`cchc units ...` commands.

  cchc units import FILE [--json]     communes/wards/special zones from CSV or XLSX
  cchc units list [--kind K] [--province P] [--json]
  cchc units lineage CODE [--json]    predecessors/successors of a unit

Exit codes of `import`: 0 when the file was read (even if some rows were rejected: they are listed),
2 when the file is missing, unreadable or has no recognisable header.
"""

from __future__ import annotations

import sys

from cchc.cli import CliError, emit_json


def register(sub) -> None:
    p = sub.add_parser("units", help="đơn vị hành chính và cơ quan")
    usub = p.add_subparsers(dest="units_command", metavar="ACTION")

    imp = usub.add_parser("import", help="nhập xã/phường/đặc khu từ CSV hoặc XLSX (idempotent)")
    imp.add_argument("file")
    imp.add_argument("--encoding", default=None, help="bảng mã của tệp CSV khi không phải UTF-8 (cp1258, latin-1)")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(func=cmd_import)

    ls = usub.add_parser("list", help="liệt kê đơn vị")
    ls.add_argument("--kind", default="")
    ls.add_argument("--province", default="")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    lin = usub.add_parser("lineage", help="đơn vị tiền thân / kế thừa")
    lin.add_argument("code")
    lin.add_argument("--json", action="store_true")
    lin.set_defaults(func=cmd_lineage)


def _unit_dict(u) -> dict:
    return {"code": u.code, "admin_code": u.admin_code, "name": u.name, "kind": u.kind,
            "valid_from": u.valid_from, "valid_to": u.valid_to}


def cmd_import(args) -> int:
    from cchc.core.setup import ensure_ready

    from .importing import TableError, read_table
    from .services import unit_import_communes

    try:
        rows = read_table(args.file, encoding=args.encoding)
    except TableError as exc:
        raise CliError(str(exc), code=2) from exc
    ensure_ready(stdout=sys.stderr)
    result = unit_import_communes(rows=rows, actor="cli")
    if args.json:
        emit_json(result)
        return 0
    print(f"Tạo mới: {result['created']}, cập nhật: {result['updated']}, không đổi: {result['unchanged']}, "
          f"bị từ chối: {len(result['rejected'])}")
    for r in result["rejected"]:
        print(f"  dòng {r['row']}: [{r['field']}/{r['rule']}] {r['code'] or '-'}: {r['reason']}")
    return 0


def cmd_list(args) -> int:
    from cchc.core.setup import ensure_ready

    from .models import Unit
    from .selectors import province_by_name_or_code

    ensure_ready(stdout=sys.stderr)
    qs = Unit.objects.all().order_by("code")
    if args.kind:
        qs = qs.filter(kind__in=[k.strip() for k in args.kind.split(",")])
    if args.province:
        prov = province_by_name_or_code(args.province)
        if prov is None:
            raise CliError(f"không tìm thấy tỉnh '{args.province}'")
        from django.db.models import Q

        qs = qs.filter(Q(province=prov) | Q(pk=prov.pk))
    items = [_unit_dict(u) for u in qs]
    if args.json:
        emit_json({"count": len(items), "results": items})
    else:
        for it in items:
            print(f"{it['code']:<12} {it['kind']:<18} {it['name']}")
    return 0


def cmd_lineage(args) -> int:
    from cchc.core.setup import ensure_ready

    from .models import Unit
    from .selectors import current_successor, unit_lineage

    ensure_ready(stdout=sys.stderr)
    unit = Unit.objects.filter(code=args.code).first()
    if unit is None:
        raise CliError(f"không có đơn vị mã {args.code}")
    lineage = sorted(unit_lineage(unit), key=lambda u: u.code)
    succ = current_successor(unit)
    data = {"unit": _unit_dict(unit), "lineage": [_unit_dict(u) for u in lineage],
            "current": _unit_dict(succ) if succ else None}
    if args.json:
        emit_json(data)
    else:
        print(f"{unit.code} {unit.name}")
        for u in lineage:
            print(f"  ↔ {u.code} {u.name}")
        print(f"  hiện nay: {succ.name if succ else '—'}")
    return 0
