"""`cchc index import-results FILE [--json]`: import published national index results (PAR INDEX, SIPAS,
PAPI, PCI, ICT). It belongs to the `index` command group but lives here, in the app that owns the
published results: `cchc.cli` calls `extend(sub)` after every app registered its own commands.
"""

from __future__ import annotations

import sys

from cchc.cli import CliError, emit_json
from cchc.indices.cli import actions


def extend(sub) -> None:
    r = actions(sub).add_parser("import-results", help="nhập kết quả chỉ số đã công bố (PAR INDEX, SIPAS, PAPI, PCI, ICT)")
    r.add_argument("file")
    r.add_argument("--encoding", default=None, help="bảng mã của tệp khi không phải UTF-8 (cp1258, latin-1)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_import_results)


def cmd_import_results(args) -> int:
    from cchc.core.setup import ensure_ready

    ensure_ready(stdout=sys.stderr)
    from .services import published_results_import

    try:
        summary = published_results_import(path=args.file, actor=None, encoding=args.encoding)
    except FileNotFoundError:
        raise CliError(f"{args.file}: không tìm thấy tệp", code=2) from None
    if args.json:
        emit_json(summary)
    else:
        for key, value in (summary or {}).items() if isinstance(summary, dict) else []:
            if isinstance(value, list):
                print(f"{key}: {len(value)}")
                for item in value:
                    text = item.get("message") or item.get("reason") or item if isinstance(item, dict) else item
                    where = f"dòng {item['row']}: " if isinstance(item, dict) and item.get("row") else ""
                    print(f"  {where}{text}")
            else:
                print(f"{key}: {value}")
    return 0
