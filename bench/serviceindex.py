"""Benchmark: the Decision 766 index (serviceindex compute) through the rollups vs from the dossier table.

Run: .venv/bin/python -P bench/serviceindex.py [--dossiers N] [--db FILE] [--repeat K] [--json]

* Database: built as bench/dashboard.py builds it (`cchc demo` with N dossiers, bulk INSERTs then one rollup
  rebuild; above 200,000 the demo is copied, see bench/dashboard.py) in `/tmp/cchc_bench_serviceindex_N.sqlite3`
  (or --db, or the PostgreSQL database of DATABASE_URL: use a throwaway one). A database holding N dossiers is
  reused; after a schema change run `cchc rollups rebuild` on it (this script does when --rebuild is given).
* Timed (best and median of K warm runs, same process): `compute.compute_index` of the demo province for the
  last finished month and for this year (cut at now), as `cchc serviceindex compute` runs it (rollups), and the
  same call inside `inputs.live_oracle()` (every per-period figure from the dossier table). The two results must
  be equal (`same_result`). Then the same for the figures alone (`inputs.dossier_figures` + `procedure_counts`,
  what moved to the rollups), without the indicator set, publications, providers and scoring both paths share.
* Writes bench/results/serviceindex.json (one run per database × N, with cores, load average and date).
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.leader import timed  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=20000, help="how many dossiers (default 20,000 for `make bench`)")
    ap.add_argument("--db", default="", help="SQLite file (default /tmp/cchc_bench_serviceindex_N.sqlite3)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--rebuild", action="store_true", help="rebuild the rollups of a reused database first")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        db = args.db or os.path.join(tempfile.gettempdir(), f"cchc_bench_serviceindex_{args.dossiers}.sqlite3")
        if Path(db).resolve() == (ROOT / "var" / "cchc.sqlite3").resolve():
            sys.exit("refusing to use var/cchc.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    if args.dossiers > 200_000:
        sys.exit("--dossiers above 200,000: build the database with bench/dashboard.py and pass it with --db")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ["CCHC_DEMO_DOSSIERS"] = str(args.dossiers)
    os.environ.setdefault("CCHC_VAR_DIR", os.path.join(tempfile.gettempdir(), "cchc_bench_serviceindex_var"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cchc.dossiers import rollups
    from cchc.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    built = None
    n = Dossier.objects.count()
    if n != args.dossiers:
        if n:
            sys.exit(f"the database holds {n:,} dossiers, not {args.dossiers:,}: use another --db / DATABASE_URL")
        from cchc.cli import main as cli_main

        started = time.perf_counter()
        try:
            cli_main(["demo"])
        except SystemExit:
            pass
        built = time.perf_counter() - started
        n = Dossier.objects.count()
        print(f"{n:,} dossiers built in {built:.0f} s", flush=True)
    elif args.rebuild:
        t = time.perf_counter()
        rollups.rebuild()
        print(f"rollups rebuilt in {time.perf_counter() - t:.0f} s", flush=True)
    from django.utils import timezone

    from cchc.serviceindex import compute, inputs, reference
    from cchc.serviceindex.models import IndicatorSet
    from cchc.serviceindex.periods import parse_period
    from cchc.units.models import Unit, UnitKind

    if not IndicatorSet.objects.filter(family="qd766").exists():
        reference.load()
    province = Unit.objects.filter(kind=UnitKind.PROVINCE, pk__in=Dossier.objects.values("province_id")[:1]).get()
    now = timezone.now()
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    cases = {"month": parse_period(f"{last_month.year}-{last_month.month:02d}"), "year": parse_period(str(today.year))}
    result = {
        "dossiers": n, "database": connection.vendor, "cores": os.cpu_count(), "load_average": [round(x, 1) for x in os.getloadavg()],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "python": platform.python_version(),
        "province": province.code, "build_s": round(built, 1) if built is not None else None,
    }
    for name, period in cases.items():

        def rolled(period=period):
            return compute.compute_index(province=province, period=period, now=now)

        def live(period=period):
            with inputs.live_oracle():
                return compute.compute_index(province=province, period=period, now=now)

        t = time.perf_counter()
        rolled()
        first = time.perf_counter() - t
        r_times, r_out = timed(rolled, args.repeat)
        l_times, l_out = timed(live, max(1, min(args.repeat, 3)))
        result[name] = {
            "period": period.label, "rollups_first_s": round(first, 4), "rollups_best_s": round(min(r_times), 4),
            "rollups_median_s": round(statistics.median(r_times), 4), "dossier_table_best_s": round(min(l_times), 4),
            "dossier_table_median_s": round(statistics.median(l_times), 4), "ratio": round(min(l_times) / min(r_times), 1),
            "same_result": r_out == l_out, "points": r_out["total"]["points"],
        }
        def figures(period=period):  # only what moved to the rollups: the per-period dossier figures and the
            # "procedures with an online / fee dossier" sets (no indicator set, publications, providers, scoring)
            scope = compute.scope_for(province=province)
            return (inputs.dossier_figures(scope, period.date_from, period.date_to, now=now),
                    inputs.procedure_counts(scope, period.date_from, period.date_to, on_date=period.date_to))

        def figures_live(period=period):
            with inputs.live_oracle():
                return figures(period)

        f_times, f_out = timed(figures, args.repeat)
        fl_times, fl_out = timed(figures_live, max(1, min(args.repeat, 3)))
        result[name].update({
            "figures_rollups_best_s": round(min(f_times), 4), "figures_dossier_table_best_s": round(min(fl_times), 4),
            "figures_ratio": round(min(fl_times) / min(f_times), 1), "figures_same": f_out == fl_out,
        })
        x = result[name]
        print(f"  figures only: rollups best {x['figures_rollups_best_s'] * 1000:.1f} ms, dossier table best "
              f"{x['figures_dossier_table_best_s'] * 1000:.0f} ms → ×{x['figures_ratio']}; same: {x['figures_same']}", flush=True)
        print(f"766 {name} {period.label}: rollups best {x['rollups_best_s'] * 1000:.1f} ms (median {x['rollups_median_s'] * 1000:.1f}, "
              f"first {first * 1000:.0f}), dossier table best {x['dossier_table_best_s'] * 1000:.0f} ms → ×{x['ratio']}; "
              f"same result: {x['same_result']}", flush=True)
    out = ROOT / "bench" / "results" / "serviceindex.json"
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    runs = [r for r in previous.get("runs", []) if (r.get("dossiers"), r.get("database")) != (n, connection.vendor)]
    runs.append(result)
    runs.sort(key=lambda r: (r["database"], r["dossiers"]))
    out.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
