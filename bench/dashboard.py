"""Benchmark: the statistics dashboard (/mot-cua/thong-ke/) on the demo province with 200,000 dossiers.

Run: .venv/bin/python bench/dashboard.py [--db /tmp/cchc_bench_dashboard.sqlite3] [--keep]

* Builds the demo (CCHC_DEMO_DOSSIERS, default 200000) in its own SQLite file (never var/cchc.sqlite3);
  `--db` reuses an existing demo file (built when missing); `--keep` leaves the file for the next run.
* Times full page renders (Django test client, best and median of 3) for the province leader, a department
  head and a commune chairman: default period (this year), this month, a drill-down, and the XLSX export.
* Baseline measured in the same process: one `dossier_statistics(user=..., group_by=())` call for the same
  user and period (the single aggregate every page needs at least once); the ratio page ÷ baseline shows
  what the table, charts and lateness tables add on top.
"""

from __future__ import annotations

import os
import sys

# bench/ holds a script named calendar.py: drop this directory from the import path before anything imports
# the standard library's calendar module
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    db = args.db or os.path.join(tempfile.gettempdir(), "cchc_bench_dashboard.sqlite3")
    if Path(db).resolve() == (ROOT / "var" / "cchc.sqlite3").resolve():
        sys.exit("refusing to use var/cchc.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    from cchc.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    if not Dossier.objects.exists():
        from cchc.cli import main as cli_main

        started = time.perf_counter()
        try:
            cli_main(["demo"])
        except SystemExit:
            pass
        print(f"demo built in {time.perf_counter() - started:.0f} s")
    from django.test import Client
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.dossiers.selectors import dossier_statistics

    n = Dossier.objects.count()
    today = timezone.localdate()
    results = {"dossiers": n, "python": platform.python_version(), "pages": []}
    cases = [
        ("lanhdao", ""), ("lanhdao", "?ky=thang"), ("lanhdao", "?don_vi=80-S-TUPHAP"), ("lanhdao", "?xuat=xlsx"),
        ("giamdoc.tuphap", ""), ("chutich.tanninh", ""),
    ]
    for username, query in cases:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            r = client.get("/mot-cua/thong-ke/" + query)
            times.append(time.perf_counter() - t)
            assert r.status_code == 200, r.status_code
        base = []
        for _ in range(3):
            t = time.perf_counter()
            dossier_statistics(user=user, date_from=today.replace(month=1, day=1), date_to=today, group_by=())
            base.append(time.perf_counter() - t)
        row = {"user": username, "query": query or "(default: this year)", "best_s": round(min(times), 3),
               "median_s": round(statistics.median(times), 3), "baseline_best_s": round(min(base), 3),
               "ratio_to_baseline": round(min(times) / min(base), 2)}
        results["pages"].append(row)
        print(f"{username:16} {row['query']:24} best {row['best_s']:.2f} s  median {row['median_s']:.2f} s  "
              f"baseline {row['baseline_best_s']:.2f} s  ×{row['ratio_to_baseline']}")
    out = ROOT / "bench" / "results" / "dashboard.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{n} dossiers; written {out}")
    if not args.keep and not args.db:
        Path(db).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
