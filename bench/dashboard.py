"""Benchmark: the leadership dashboard's figures through the rollups vs a GROUP BY over the dossier table.

Run: .venv/bin/python -P bench/dashboard.py --dossiers N [--json] [--db FILE] [--repeat K]

* Builds (or reuses) a database with N dossiers: SQLite file `/tmp/cchc_bench_dashboard_N.sqlite3` (or --db),
  or the PostgreSQL database of DATABASE_URL (use a throwaway database: it is migrated and filled). A database
  that already holds N dossiers is reused as it is (the 2,000,000-dossier build is the slow part).
* Building: `cchc demo` with B = N ÷ k dossiers (B ≤ 200,000; bulk INSERTs, then one rollup rebuild), then the
  dossiers are copied k − 1 times with INSERT … SELECT (ids shifted by a multiple of the largest id, codes
  suffixed), together with the rows the statistics read beside the dossier (pauses, apology letters), and every
  rollup counter is multiplied by k (a copy has the same dates, units, procedure and channel as its original,
  so its contribution equals the original's: k identical contributions sum to k × the counters). No ORM saves.
  The copies repeat the demo's distribution k times: the rollup tables keep their number of rows while the
  dossier table grows k-fold, exactly what a bigger province does to both.
* Figures of the province leader's default dashboard (this year): the total row, one row per responsible unit
  and the monthly line, timed (best and median of K warm runs, same process) through the rollups
  (rollups.rollup_statistics / monthly_series, what the page reads) and through the live GROUP BY
  (selectors.dossier_statistics with the same arguments; the monthly line as one aggregate). Both must give
  the same figures (checked, `same_figures`). Then the dashboard XLSX through the test client.
* Writes bench/results/dashboard.json (one run per database × N, with cores, load average and date); with
  --json the last line is {"dossiers", "rollup_best_s", "groupby_best_s", "database", ...}.
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

from bench.lib.leader import figure_readers, same_figures, timed  # noqa: E402

BASE_MAX = 200_000


def _factor(n: int) -> int:
    """The smallest k with N ÷ k ≤ BASE_MAX and k dividing N."""
    k = max(1, -(-n // BASE_MAX))
    while n % k:
        k += 1
    return k


def _copy_rows(model, k: int, *, id_offset: int, dossier_offset: int, dossier_fk: str | None, suffix_unique=True) -> None:
    """INSERT … SELECT copy number k of every original row of `model` (ids ≤ id_offset)."""
    from django.db import connection, models

    qn = connection.ops.quote_name
    cols, exprs = [], []
    for f in model._meta.concrete_fields:
        c = qn(f.column)
        cols.append(c)
        if f.primary_key:
            exprs.append(f"{c} + {k * id_offset}")
        elif dossier_fk and f.name == dossier_fk:
            exprs.append(f"{c} + {k * dossier_offset}")
        elif suffix_unique and f.unique and isinstance(f, models.CharField):
            exprs.append(f"{c} || '~{k}'")
        else:
            exprs.append(c)
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM {table} WHERE {pk} <= %s",
                    [id_offset])


def _multiply(k: int) -> None:
    """Dossiers copied k − 1 times (with pauses and apology letters); rollup counters × k."""
    from django.core.management.color import no_style
    from django.db import connection, models, transaction
    from django.db.models import Max

    from cchc.dossiers.models import (
        ApologyLetter,
        Dossier,
        DossierPause,
        DossierRollup,
        RollupRepeat,
        UnitMonthRollup,
        UnitRollup,
    )

    qn = connection.ops.quote_name
    with transaction.atomic():
        d_max = Dossier.objects.aggregate(m=Max("pk"))["m"]
        p_max = DossierPause.objects.aggregate(m=Max("pk"))["m"] or 0
        l_max = ApologyLetter.objects.aggregate(m=Max("pk"))["m"] or 0
        for i in range(1, k):
            t = time.perf_counter()
            _copy_rows(Dossier, i, id_offset=d_max, dossier_offset=d_max, dossier_fk=None)
            _copy_rows(DossierPause, i, id_offset=p_max, dossier_offset=d_max, dossier_fk="dossier")
            _copy_rows(ApologyLetter, i, id_offset=l_max, dossier_offset=d_max, dossier_fk="dossier")
            print(f"copy {i}/{k - 1}: {time.perf_counter() - t:.0f} s", flush=True)
        with connection.cursor() as cur:
            for model in (DossierRollup, UnitRollup, UnitMonthRollup):
                counters = [f.column for f in model._meta.concrete_fields
                            if isinstance(f, models.IntegerField) and not f.primary_key and not f.is_relation]
                cur.execute(f"UPDATE {qn(model._meta.db_table)} SET " + ", ".join(f"{qn(c)} = {qn(c)} * {k}" for c in counters))
            cur.execute(f"UPDATE {qn(RollupRepeat._meta.db_table)} SET {qn('n')} = {qn('n')} * {k}")
            for sql in connection.ops.sequence_reset_sql(no_style(), [Dossier, DossierPause, ApologyLetter]):
                cur.execute(sql)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def main() -> None:  # noqa: PLR0915
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=20000, help="how many dossiers (the issue reports 2,000,000; default 20,000 for `make bench`)")
    ap.add_argument("--db", default="", help="SQLite file (default /tmp/cchc_bench_dashboard_N.sqlite3)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--base", type=int, default=0, help="demo size to copy (must divide N; default the largest ≤ 200,000)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        db = args.db or os.path.join(tempfile.gettempdir(), f"cchc_bench_dashboard_{args.dossiers}.sqlite3")
        if Path(db).resolve() == (ROOT / "var" / "cchc.sqlite3").resolve():
            sys.exit("refusing to use var/cchc.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    k = _factor(args.dossiers) if not args.base else args.dossiers // args.base
    if k * (args.dossiers // k) != args.dossiers:
        sys.exit("--base must divide --dossiers")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ["CCHC_DEMO_DOSSIERS"] = str(args.dossiers // k)
    os.environ.setdefault("CCHC_VAR_DIR", os.path.join(tempfile.gettempdir(), "cchc_bench_dashboard_var"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
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
        print(f"demo with {args.dossiers // k:,} dossiers built in {time.perf_counter() - started:.0f} s", flush=True)
        if k > 1:
            _multiply(k)
        built = time.perf_counter() - started
        n = Dossier.objects.count()
        print(f"{n:,} dossiers built in {built:.0f} s", flush=True)
    from django.test import Client
    from django.utils import timezone

    from cchc.accounts.models import User

    user = User.objects.get(username="lanhdao")
    now = timezone.now()
    today = timezone.localdate()
    from_rollups, by_group_by = figure_readers(user, today=today, now=now)

    first_t = time.perf_counter()
    from_rollups()
    rollup_first = time.perf_counter() - first_t
    r_times, r_figures = timed(from_rollups, args.repeat)
    g_times, g_figures = timed(by_group_by, max(1, min(args.repeat, 3)))
    same = same_figures(r_figures, g_figures)
    client = Client()
    client.force_login(user)
    x_times, response = timed(lambda: client.get("/mot-cua/thong-ke/?xuat=xlsx"), 3)
    assert response.status_code == 200, response.status_code
    result = {
        "dossiers": n, "database": connection.vendor, "cores": os.cpu_count(), "load_average": [round(x, 1) for x in os.getloadavg()],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "python": platform.python_version(),
        "period": f"{today.replace(month=1, day=1)}..{today}", "built_as": f"demo {n // k:,} × {k}",
        "rollup_first_s": round(rollup_first, 4),
        "rollup_best_s": round(min(r_times), 4), "rollup_median_s": round(statistics.median(r_times), 4),
        "groupby_best_s": round(min(g_times), 4), "groupby_median_s": round(statistics.median(g_times), 4),
        "ratio": round(min(g_times) / min(r_times), 1), "same_figures": bool(same),
        "dashboard_xlsx_best_s": round(min(x_times), 3), "build_s": round(built, 1) if built is not None else None,
    }
    print(f"leader's year figures: rollups best {result['rollup_best_s'] * 1000:.1f} ms (median {result['rollup_median_s'] * 1000:.1f}, "
          f"first {rollup_first * 1000:.0f}), GROUP BY best {result['groupby_best_s'] * 1000:.0f} ms → ×{result['ratio']}; same figures: {same}")
    print(f"dashboard XLSX best {result['dashboard_xlsx_best_s']:.2f} s")
    out = ROOT / "bench" / "results" / "dashboard.json"
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    runs = [r for r in previous.get("runs", []) if (r.get("dossiers"), r.get("database")) != (n, connection.vendor)]
    runs.append(result)
    runs.sort(key=lambda r: (r["database"], r["dossiers"]))
    out.write_text(json.dumps({"runs": runs}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    if args.json:
        print(json.dumps({"dossiers": n, "rollup_best_s": result["rollup_best_s"], "groupby_best_s": result["groupby_best_s"],
                          "database": connection.vendor} | result, ensure_ascii=False))


if __name__ == "__main__":
    main()
