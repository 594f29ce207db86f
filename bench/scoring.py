"""Benchmark: score and rank 3,321 communes on a 120-leaf criteria tree.

    .venv/bin/python bench/scoring.py [--units 3321] [--leaves 120] [--naive-units 40]

1. CLI path (pure, no database): write criteria.csv and scores.csv (3,321 × 120 rows) to a temp dir,
   then time `scoring.score_csv_files` (parse + validate + score + rank + JSON shape) in process, and the
   real `cchc index score --json` command end to end in a subprocess (interpreter start included).
2. Database path: a temporary SQLite file (never var/cchc.sqlite3), migrated; one cycle with 3,321
   units × 120 assessments (bulk-inserted, not timed); time `selectors.cycle_compute_results` (one
   aggregate query COALESCE(appraisal 2, appraisal 1, self) + the pure scorer + ranks, lost points,
   stage totals) — the full result rows the API and reports use.
3. Baseline measured in the same process: a naive per-row ORM loop (one query per assessment, summing in
   Python) on `--naive-units` units × 120 leaves; its time is extrapolated linearly to all units (printed
   as such) — running it fully would issue ~400,000 queries.

Writes bench/results/scoring.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# bench/ holds a script named calendar.py: drop this directory from the import path so the standard
# library's `calendar` (needed by `email`, `holidays`) is the one imported.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_tree(leaves: int) -> list[dict]:
    """8 fields → 3 criteria each → leaves spread evenly; every leaf worth 100/leaves rounded to quarters."""
    rows, codes = [], []
    per_field = [leaves // 8 + (1 if i < leaves % 8 else 0) for i in range(8)]
    for f, n in enumerate(per_field, start=1):
        rows.append({"code": f"{f}", "parent": "", "title": f"Lĩnh vực {f}", "max_points": ""})
        for c in range(1, 4):
            rows.append({"code": f"{f}.{c}", "parent": f"{f}", "title": f"Tiêu chí {f}.{c}", "max_points": ""})
        for i in range(n):
            code = f"{f}.{i % 3 + 1}.{i // 3 + 1}"
            rows.append({"code": code, "parent": f"{f}.{i % 3 + 1}", "title": f"Tiêu chí thành phần {code}", "max_points": "1" if i % 2 else "0.75"})
            codes.append(code)
    return rows, codes


def write_csvs(tmp: Path, tree_rows, codes, units: int, rng) -> tuple[Path, Path, dict]:
    import csv

    c_path, s_path = tmp / "criteria.csv", tmp / "scores.csv"
    with open(c_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "parent", "title", "max_points"])
        w.writeheader()
        w.writerows(tree_rows)
    maxima = {r["code"]: r["max_points"] for r in tree_rows if r["max_points"]}
    scores = {}
    with open(s_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "code", "points"])
        for u in range(units):
            name = f"Xã {u:04d}"
            scores[name] = {}
            for code in codes:
                if rng.random() < 0.01:
                    continue  # ~1% missing
                pts = maxima[code] if rng.random() < 0.8 else ("0.5" if maxima[code] == "1" else "0.25")
                scores[name][code] = pts
                w.writerow([name, code, pts])
    return c_path, s_path, scores


def timed(fn, repeat=3):
    best, result = None, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return best, result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=3321)
    ap.add_argument("--leaves", type=int, default=120)
    ap.add_argument("--naive-units", type=int, default=40)
    args = ap.parse_args()
    rng = random.Random(7)
    tmp = Path(tempfile.mkdtemp(prefix="cchc_bench_scoring_"))
    db_path = tmp / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"

    from cchc.indices import scoring

    tree_rows, codes = make_tree(args.leaves)
    c_path, s_path, scores = write_csvs(tmp, tree_rows, codes, args.units, rng)
    n_rows = sum(len(v) for v in scores.values())

    # 1. CLI path
    cli_inproc, out = timed(lambda: scoring.score_csv_files(str(c_path), str(s_path)))
    assert len(out["units"]) == args.units
    t0 = time.perf_counter()
    proc = subprocess.run([str(ROOT / ".venv/bin/cchc"), "index", "score", "--criteria", str(c_path), "--scores", str(s_path), "--json"],
                          capture_output=True, text=True, env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/absent.sqlite3"})
    cli_subprocess = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    cli_units = json.loads(proc.stdout)["units"]
    assert cli_units == out["units"]

    # 2. database path
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from cchc.core.textfold import fold
    from cchc.indices import selectors, services
    from cchc.indices.models import Assessment, Criterion, CycleState
    from cchc.units.models import Unit, UnitKind

    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        prov = Unit.objects.create(code="BENCH", name="Tỉnh đo", kind=UnitKind.PROVINCE)
        cs = services.criteria_set_create(code="bench", name="Bộ đo", year=2025, target_group="commune", rows=tree_rows, owner=prov)
        names = sorted(scores)
        Unit.objects.bulk_create([
            Unit(code=f"B{i:05d}", name=name, name_folded=fold(name), kind=UnitKind.COMMUNE, parent=prov, province=prov)
            for i, name in enumerate(names)
        ], batch_size=2000)
        units = {u.name: u for u in Unit.objects.filter(province=prov)}
        cycle = services.cycle_open(criteria_set=cs, organiser=prov, year=2025, units=list(units.values()))
        cycle.state = CycleState.APPRAISAL_2
        cycle.save()
        crit = dict(Criterion.objects.filter(criteria_set=cs, is_leaf=True).values_list("code", "pk"))
        from decimal import Decimal

        batch = []
        for name, pts in scores.items():
            uid = units[name].pk
            for code, p in pts.items():
                batch.append(Assessment(cycle=cycle, unit_id=uid, criterion_id=crit[code], self_points=Decimal(p), source="self"))
        Assessment.objects.bulk_create(batch, batch_size=5000)
    db_time, results = timed(lambda: selectors.cycle_compute_results(cycle))
    query_time, _ = timed(lambda: selectors._shortfalls_and_stages(cycle))
    assert len(results) == args.units
    # same totals as the CLI path
    by_name = {r["unit"]: r for r in results}
    for u in cli_units[:50]:
        assert by_name[u["unit"]]["total"] == u["total"] and by_name[u["unit"]]["rank"] == u["rank"], u["unit"]

    # 3. naive baseline: one query per assessment
    sample = names[: args.naive_units]
    leaf_ids = list(crit.values())

    def naive():
        totals = {}
        for name in sample:
            uid = units[name].pk
            total = 0
            for cid in leaf_ids:
                a = Assessment.objects.filter(cycle=cycle, unit_id=uid, criterion_id=cid).first()
                if a is not None and a.final_points is not None:
                    total += a.final_points
            totals[name] = total
        return sorted(totals.items(), key=lambda kv: -kv[1])

    naive_sample, _ = timed(naive, repeat=1)
    naive_full = naive_sample * args.units / len(sample)
    connection.close()

    report = {
        "benchmark": "scoring",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "units": args.units,
        "leaves": args.leaves,
        "score_rows": n_rows,
        "cli_in_process_s": round(cli_inproc, 3),
        "cli_subprocess_s": round(cli_subprocess, 3),
        "db_compute_results_s": round(db_time, 3),
        "db_of_which_aggregate_queries_s": round(query_time, 3),
        "naive_orm_sample_units": len(sample),
        "naive_orm_sample_s": round(naive_sample, 3),
        "naive_orm_extrapolated_s": round(naive_full, 2),
        "ratio_naive_over_db": round(naive_full / db_time, 1),
        "ratio_naive_over_cli": round(naive_full / cli_inproc, 1),
        "target_under_1s_db": db_time < 1.0,
        "database": "sqlite (temporary file)",
        "cpu_count": os.cpu_count(),
        "load_average_1m_at_end": round(os.getloadavg()[0], 2),
    }
    print(f"units {args.units} × leaves {args.leaves} ({n_rows} score rows)")
    print(f"CLI path, in process (parse + validate + score + rank): {cli_inproc:.3f} s")
    print(f"CLI path, `cchc index score --json` subprocess end to end: {cli_subprocess:.3f} s")
    print(f"database path, cycle_compute_results (aggregate query + pure scorer): {db_time:.3f} s "
          f"(of which the aggregate queries: {query_time:.3f} s)")
    print(f"naive ORM loop (1 query per assessment): {naive_sample:.3f} s for {len(sample)} units → {naive_full:.1f} s extrapolated")
    print(f"machine: {os.cpu_count()} CPUs, load average (1 min) {report['load_average_1m_at_end']} — shared with other jobs")
    print(f"ratio naive / database path: {report['ratio_naive_over_db']}×; naive / CLI path: {report['ratio_naive_over_cli']}×")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "scoring.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
