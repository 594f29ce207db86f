"""`cchc index ...` commands: score (pure, no database), report (import-results: cchc.surveys.cli)."""

from __future__ import annotations

import sys

from cchc.cli import CliError, emit_json

_ACTIONS: dict[int, object] = {}


def actions(sub):
    """The `cchc index` action group, for higher apps that add actions to it (`cchc index import-results`
    comes from cchc.surveys.cli: indices never imports surveys)."""
    return _ACTIONS[id(sub)]


def register(sub) -> None:
    p = sub.add_parser("index", help="chỉ số CCHC: chấm điểm, xếp hạng, nhập kết quả, báo cáo điểm bị trừ")
    isub = p.add_subparsers(dest="index_command", metavar="ACTION")
    _ACTIONS[id(sub)] = isub

    s = isub.add_parser("score", help="chấm điểm và xếp hạng từ tệp CSV (không dùng cơ sở dữ liệu)")
    s.add_argument("--criteria", required=True, help="CSV: code,parent,title,max_points")
    s.add_argument("--scores", required=True, help="CSV: unit,code,points (chỉ tiêu chí lá)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_score, needs_django=False)

    rep = isub.add_parser("report", help="báo cáo điểm bị trừ của một kỳ đánh giá (XLSX/PDF)")
    rep.add_argument("--cycle", required=True, type=int)
    rep.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
    rep.add_argument("-o", "--output", required=True)
    rep.add_argument("--json", action="store_true")
    rep.set_defaults(func=cmd_report)

    lp = isub.add_parser("lost-points", help="điểm bị trừ của tỉnh trong Chỉ số CCHC cấp tỉnh và việc giải trình theo cơ quan chủ trì")
    lp.add_argument("--cycle", required=True, type=int, help="mã kỳ đánh giá (kỳ có tỉnh là đơn vị được đánh giá)")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(func=cmd_lost_points)


def cmd_score(args) -> int:
    from .scoring import ScoringError, score_csv_files

    try:
        result = score_csv_files(args.criteria, args.scores)
    except ScoringError as exc:
        raise CliError(exc.located(), code=2) from None
    if args.json:
        emit_json(result)
        return 0
    for u in result["units"]:
        print(f"{u['rank']:>4}  {u['unit']:<40} {u['total']:>8} / {u['max']:<8} {u['index_pct']:>7}%")
        if u["missing"]:
            print(f"      thiếu điểm: {', '.join(u['missing'])}")
    return 0


def cmd_report(args) -> int:
    from cchc.core.setup import migrate_if_needed

    migrate_if_needed(stdout=sys.stderr)  # a report reads a cycle, not reference data
    from .reports import lost_points_pdf, lost_points_xlsx

    data = lost_points_xlsx(cycle_id=args.cycle) if args.format == "xlsx" else lost_points_pdf(cycle_id=args.cycle)
    try:
        with open(args.output, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise CliError(f"-o {args.output}: không ghi được tệp ({exc.strerror})", code=2) from None
    if args.json:
        emit_json({"cycle": args.cycle, "format": args.format, "output": args.output, "bytes": len(data)})
    else:
        print(f"Đã ghi {args.output} ({len(data)} byte)")
    return 0


LOST_POINT_KEYS = ("criterion_code", "criterion_name", "max", "points", "lost", "unit_in_charge", "status", "cause", "remedy", "deadline")


def lost_point_rows(cycle_id: int) -> list[dict]:
    """The `cchc index lost-points --json` contract (docs/indices.md §8): one object per lost sub-criterion, in
    the order of the criteria tree, with exactly LOST_POINT_KEYS."""
    from cchc.core.errors import DomainError

    from .lost_selectors import national_lost_points
    from .models import AssessmentCycle

    cycle = AssessmentCycle.objects.select_related("criteria_set").filter(pk=cycle_id).first()
    if cycle is None:
        raise CliError(f"--cycle {cycle_id}: không có kỳ đánh giá này", code=2)
    try:
        rows = national_lost_points(cycle=cycle)
    except DomainError as exc:
        raise CliError(f"--cycle {cycle_id}: {exc.message}", code=2) from None
    return [{
        "criterion_code": r["code"], "criterion_name": r["title"], "max": float(r["max"]), "points": float(r["points"]),
        "lost": float(r["lost"]), "unit_in_charge": r["department_name"] or None, "status": r["status"], "cause": r["cause"],
        "remedy": r["remedy"], "deadline": r["deadline"].isoformat() if r["deadline"] else None,
    } for r in rows]


def cmd_lost_points(args) -> int:
    from cchc.core.setup import migrate_if_needed

    migrate_if_needed(stdout=sys.stderr)
    from cchc.core.templatetags.vn_format import format_vn

    rows = lost_point_rows(args.cycle)
    if args.json:
        emit_json(rows)
        return 0
    for r in rows:
        pts = lambda v: format_vn(v, 2, strip_zeros=True)  # noqa: E731
        print(f"{r['criterion_code']:<8} −{pts(r['lost']):<6} {pts(r['points'])}/{pts(r['max']):<6} {r['status']:<15} "
              f"{r['deadline'] or '':<10} {r['unit_in_charge'] or 'chưa giao'}  {r['criterion_name'][:60]}")
    print(f"{len(rows)} tiêu chí thành phần bị trừ điểm")
    return 0
