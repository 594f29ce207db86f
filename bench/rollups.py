"""Benchmark: the leader's year dashboard figures from the rollups vs a GROUP BY over the dossier table.

Run: .venv/bin/python -P bench/rollups.py [--dossiers N] [--db FILE] [--keep] [--repeat K] [--json]

* Builds the demo province with N dossiers (default 20,000, so `make bench` stays short; `--dossiers 2000000`
  works) in its own SQLite file (never var/cchc.sqlite3), or in the database of DATABASE_URL when it is set
  to PostgreSQL (the database is emptied first by migrating a fresh one: use a throwaway database name).
  `cchc demo` writes the dossiers with bulk INSERTs and rebuilds the rollups; the rebuild is timed again here.
* Figures of the province leader's default page (this year): the total row, one row per responsible unit and
  the monthly line. Timed (best and median of K runs, same process, warm) through the rollups
  (rollups.rollup_statistics / monthly_series: what the page uses) and through the live GROUP BY over the
  dossier table (selectors.dossier_statistics with the same arguments; the monthly line as one aggregate).
  Both must give the same figures (checked). Then the dashboard XLSX export through the test client.
* Prints the times and the ratio; writes bench/results/rollups.json (cores, database, dossiers, times).
  With --json the last line is {"dossiers", "rollup_best_s", "groupby_best_s", "ratio", "database", ...}.
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lib.leader import figure_readers, same_figures, timed  # noqa: E402


def main() -> None:  # noqa: PLR0915
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=20000)
    ap.add_argument("--db", default="", help="SQLite file (default: a temp file named after N)")
    ap.add_argument("--keep", action="store_true", help="keep the database for the next run")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        db = args.db or os.path.join(tempfile.gettempdir(), f"cchc_bench_rollups_{args.dossiers}.sqlite3")
        if Path(db).resolve() == (ROOT / "var" / "cchc.sqlite3").resolve():
            sys.exit("refusing to use var/cchc.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        db = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ["CCHC_DEMO_DOSSIERS"] = str(args.dossiers)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    from cchc.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    built = None
    if not Dossier.objects.exists():
        from cchc.cli import main as cli_main

        started = time.perf_counter()
        try:
            cli_main(["demo"])
        except SystemExit:
            pass
        built = time.perf_counter() - started
        print(f"demo built in {built:.0f} s")
    from django.test import Client
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.dossiers import rollups
    from cchc.units.models import Unit

    n = Dossier.objects.count()
    province = Unit.objects.filter(pk=Dossier.objects.values_list("province_id", flat=True)[:1]).first()
    t = time.perf_counter()
    rebuilt = rollups.rebuild(province=province)
    rebuild_s = time.perf_counter() - t
    print(f"{n:,} dossiers; rollups rebuilt in {rebuild_s:.1f} s ({rebuilt['rows']:,} rows, {rebuilt['unit_rows']:,} per unit)")

    user = User.objects.get(username="lanhdao")
    now = timezone.now()
    today = timezone.localdate()
    from_rollups, by_group_by = figure_readers(user, today=today, now=now)

    r_times, r_figures = timed(from_rollups, args.repeat)
    g_times, g_figures = timed(by_group_by, max(1, min(args.repeat, 3)))
    same = same_figures(r_figures, g_figures)
    client = Client()
    client.force_login(user)
    x_times, response = timed(lambda: client.get("/mot-cua/thong-ke/?xuat=xlsx"), 3)
    assert response.status_code == 200, response.status_code
    p_times, response = timed(lambda: client.get("/mot-cua/thong-ke/"), 3)
    assert response.status_code == 200, response.status_code
    result = {
        "dossiers": n, "database": connection.vendor, "cores": os.cpu_count(), "python": platform.python_version(),
        "period": f"{today.replace(month=1, day=1)}..{today}", "rollup_rows": rebuilt["rows"], "unit_rollup_rows": rebuilt["unit_rows"],
        "rollup_best_s": round(min(r_times), 4), "rollup_median_s": round(statistics.median(r_times), 4),
        "groupby_best_s": round(min(g_times), 4), "groupby_median_s": round(statistics.median(g_times), 4),
        "ratio": round(min(g_times) / min(r_times), 1), "same_figures": bool(same),
        "dashboard_xlsx_best_s": round(min(x_times), 3), "dashboard_page_best_s": round(min(p_times), 3),
        "rebuild_s": round(rebuild_s, 1), "demo_build_s": round(built, 1) if built is not None else None,
    }
    print(f"leader's year figures: rollups best {result['rollup_best_s'] * 1000:.1f} ms (median {result['rollup_median_s'] * 1000:.1f}), "
          f"GROUP BY best {result['groupby_best_s'] * 1000:.0f} ms → ×{result['ratio']} faster; same figures: {same}")
    print(f"dashboard XLSX best {result['dashboard_xlsx_best_s']:.2f} s; whole page best {result['dashboard_page_best_s']:.2f} s")
    out = ROOT / "bench" / "results" / "rollups.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    runs = [r for r in previous.get("runs", []) if (r.get("dossiers"), r.get("database")) != (n, connection.vendor)]
    runs.append(result)
    runs.sort(key=lambda r: (r["database"], r["dossiers"]))
    out.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    if not args.keep and not args.db and connection.vendor == "sqlite":
        connection.close()
        Path(db).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
