"""Benchmark: 1,000,000 due dates through the bulk path versus the `holidays` package's per-call approach.

Run: .venv/bin/python bench/calendar.py [--n 1000000] [--sample 20000] [--seed 7]

* Bulk path: `WorkCalendar.due_bulk` (sorted numpy array of working days + `searchsorted`), on all N items,
  best of 3 runs.
* Baseline: the same due-time rule computed per dossier with `holidays.VN(...).is_working_day` and
  `.get_nth_working_day(date, n)` (holidays 0.109), on a random sample of `--sample` items; its rate is
  extrapolated to N (printed as such).
* Same holiday set on both sides: the library lacks the official overrides (e.g. the 2026-01-02 ↔ 2026-01-10
  swap), so the baseline's holiday object gets the shipped overrides applied (days added, removed, weekend
  workdays added) before timing. The results are then compared item by item on the sample; they must agree.
* Also reported: our single path (`WorkCalendar.due`) on the same sample.

The calendar is a pure module: no database is used (DJANGO_SETTINGS_MODULE is set only for consistency with the
other benchmarks; nothing touches var/cchc.sqlite3).
"""

from __future__ import annotations

import os
import sys

# This file is named like the standard library's `calendar`: drop its directory from the import path first,
# or `import holidays` (which needs `calendar.isleap`) would import this script instead.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")

import holidays  # noqa: E402
import numpy as np  # noqa: E402

from cchc.calendar.shipped import national_calendar, shipped_overrides  # noqa: E402

VN_OFFSET = 7 * 3600


def library_with_overrides(years):
    """`holidays.VN` populated for `years`, with the shipped overrides applied (same holiday set as ours)."""
    lib = holidays.country_holidays("VN", years=list(years), language="vi")
    for o in shipped_overrides():
        if o.is_working_day:
            if o.date in lib:
                lib.pop(o.date)
            if o.date.weekday() >= 5:
                lib.weekend_workdays.add(o.date)
        else:
            lib[o.date] = o.name
            lib.weekend_workdays.discard(o.date)
    return lib


def baseline_due(lib, epoch: int, n: int, hours) -> int:
    """The due-time rule per dossier with the library's own working-day functions."""
    s1, e1, s2, e2 = hours
    local = epoch + VN_OFFSET
    day_index, sod = divmod(local, 86400)
    d = (datetime(1970, 1, 1) + timedelta(days=day_index)).date()
    if lib.is_working_day(d) and sod < e2:
        if sod < s1:
            sod = s1
        elif e1 <= sod < s2:
            sod = s2
    else:
        d = lib.get_nth_working_day(d, 1)
        sod = s1
    due_day = lib.get_nth_working_day(d, n)
    return (due_day.toordinal() - 719163) * 86400 + sod - VN_OFFSET


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    lo = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())
    hi = int(datetime(2027, 12, 31, tzinfo=UTC).timestamp())
    received = rng.integers(lo, hi, args.n).astype("datetime64[s]")
    days = rng.integers(0, 61, args.n)

    t0 = time.perf_counter()
    cal = national_calendar()
    cal.due_bulk(received[:10], days[:10])  # builds the working-day table once
    setup_s = time.perf_counter() - t0

    runs = []
    for _ in range(3):  # best of 3: the machine is shared, the minimum is the least disturbed run
        t0 = time.perf_counter()
        bulk = cal.due_bulk(received, days)
        runs.append(time.perf_counter() - t0)
    bulk_s = min(runs)
    bulk_rate = args.n / bulk_s

    idx = rng.choice(args.n, size=min(args.sample, args.n), replace=False)
    sample_epochs = received[idx].astype(np.int64).tolist()
    sample_days = days[idx].tolist()

    lib = library_with_overrides(range(2022, 2030))
    hours = (cal._s1, cal._e1, cal._s2, cal._e2)
    base_runs = []
    for _ in range(2):  # best of 2, like the bulk path (the first run also warms the library's caches)
        t0 = time.perf_counter()
        base = [baseline_due(lib, e, n, hours) for e, n in zip(sample_epochs, sample_days, strict=True)]
        base_runs.append(time.perf_counter() - t0)
    base_s = min(base_runs)
    base_rate = len(idx) / base_s

    t0 = time.perf_counter()
    single = [
        int(cal.due(datetime.fromtimestamp(e, tz=UTC), n, "working_days").timestamp())
        for e, n in zip(sample_epochs, sample_days, strict=True)
    ]
    single_s = time.perf_counter() - t0
    single_rate = len(idx) / single_s

    bulk_sample = bulk[idx].astype(np.int64).tolist()
    disagree_baseline = sum(1 for a, b in zip(bulk_sample, base, strict=True) if a != b)
    disagree_single = sum(1 for a, b in zip(bulk_sample, single, strict=True) if a != b)

    ratio = bulk_rate / base_rate
    result = {
        "n": args.n,
        "sample": len(idx),
        "seed": args.seed,
        "range": "received 2023-01-01..2027-12-31 (UTC), N working days 0..60",
        "bulk_seconds": round(bulk_s, 4),
        "bulk_seconds_all_runs": [round(r, 4) for r in runs],
        "bulk_rate_per_s": round(bulk_rate),
        "calendar_and_table_setup_seconds": round(setup_s, 4),
        "baseline_holidays_rate_per_s": round(base_rate),
        "baseline_extrapolated_seconds_for_n": round(args.n / base_rate, 2),
        "single_path_rate_per_s": round(single_rate),
        "ratio_bulk_vs_holidays": round(ratio, 1),
        "ratio_bulk_vs_single_path": round(bulk_rate / single_rate, 1),
        "disagreements_bulk_vs_holidays_on_sample": disagree_baseline,
        "disagreements_bulk_vs_single_on_sample": disagree_single,
        "target_ratio": 50,
        "meets_target": ratio >= 50 and disagree_baseline == 0 and disagree_single == 0,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "holidays": holidays.__version__,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }

    print(f"Bulk path (numpy searchsorted): {args.n:,} due dates in {bulk_s:.3f} s (best of 3) → {bulk_rate:,.0f}/s "
          f"(calendar and working-day table built once in {setup_s:.3f} s)")
    print(f"Baseline holidays {holidays.__version__} get_nth_working_day, per call: sample of {len(idx):,} in "
          f"{base_s:.2f} s → {base_rate:,.0f}/s; extrapolated to {args.n:,}: {args.n / base_rate:.1f} s")
    print(f"Our single path WorkCalendar.due on the same sample: {single_rate:,.0f}/s")
    print(f"Ratio bulk / holidays per call: {ratio:,.1f}×  (target ≥ 50×)   bulk / single path: {bulk_rate / single_rate:,.1f}×")
    print(f"Agreement on the sample: bulk vs holidays (same overrides applied): {len(idx) - disagree_baseline}/{len(idx)}; "
          f"bulk vs single path: {len(idx) - disagree_single}/{len(idx)}")

    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "calendar.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {out_dir / 'calendar.json'}")
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
