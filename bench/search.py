"""Benchmark of procedure search (cchc.catalog.search) on SQLite and PostgreSQL against naive baselines.

    .venv/bin/python bench/search.py

Each backend runs in a child process with its own database (a temporary SQLite file; the PostgreSQL
database `cchc_bench_search`, skipped with a message when unreachable); never var/cchc.sqlite3.
Prints p50/p95 latency over the query set (warm: the in-process word index is built once before timing),
the same figures for two baselines measured in the same process — a Python substring scan over all folded
names and a database `name_folded__icontains` query — and the top-5 agreement between the two databases.
Writes bench/results/search.json.
"""

from __future__ import annotations

import os
import sys

# Running `python bench/search.py` puts bench/ first on sys.path, where bench/calendar.py would shadow the
# standard library's calendar module (psycopg and Django import it): drop that entry.
if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    sys.path.pop(0)

import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "search.json"
PG_URL = os.environ.get("CCHC_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/cchc_bench_search")
REPEAT = 15

# (query, codes any of which counts as the right answer; None = no single right answer)
QUERIES: list[tuple[str, set[str] | None]] = [
    # folded (typed without diacritics)
    ("dang ky khai sinh", {"1.001193"}),
    ("dang ky khai tu", {"1.000656"}),
    ("dang ky ket hon", {"1.000894"}),
    ("dang ky tam tru", {"1.004194"}),
    ("dang ky thuong tru", {"1.004222"}),
    ("dang ky giam ho", {"1.004837"}),
    ("cap the can cuoc", {"1.014061", "1.014062", "2.000200", "1.001247"}),
    ("doi giay phep lai xe", {"3.000347"}),
    ("dang ky thanh lap ho kinh doanh", {"1.001612"}),
    ("cap ho chieu pho thong", {"1.001456", "1.001471"}),
    ("ly lich tu phap", {"3.000333", "3.000330", "3.000334", "3.000335"}),
    ("chung thuc ban sao", {"2.000815"}),
    ("giay phep xay dung", None),
    ("dang ky xe", None),
    # accented, as people type them
    ("Đăng ký khai sinh", {"1.001193"}),
    ("đăng ký khai tử", {"1.000656"}),
    ("Đăng ký kết hôn", {"1.000894"}),
    ("Đăng ký tạm trú", {"1.004194"}),
    ("Cấp thẻ căn cước", {"1.014061", "1.014062", "2.000200", "1.001247"}),
    ("Đổi giấy phép lái xe", {"3.000347"}),
    ("Cấp giấy phép xây dựng", None),
    ("chứng thực chữ ký", None),
    ("xác nhận tình trạng hôn nhân", None),
    ("thay đổi cải chính hộ tịch", None),
    # a wrong or missing tone mark, one typo
    ("đăng kí khai sinh", {"1.001193"}),
    ("đẳng ký khái sinh", {"1.001193"}),
    ("dang ky khai snh", {"1.001193"}),
    ("dnag ky khai sinh", {"1.001193"}),
    ("dang ky ket hno", {"1.000894"}),
    ("dang ky tam truu", {"1.004194"}),
    ("cap the can cuok", {"1.014061", "1.014062", "2.000200", "1.001247"}),
    ("giay phep lai xr", {"3.000346", "3.000347"}),
    ("ho chiue", None),
    ("ly lich tu phao", {"3.000333", "3.000330", "3.000334", "3.000335"}),
    # word prefixes (typing in progress)
    ("dang ky kha", None),
    ("dang ky ket h", {"1.000894", "1.000593"}),
    ("cap doi the can", {"1.014063"}),
    ("giay phep lai", None),
    ("ho kinh do", None),
    # codes
    ("1.001193", {"1.001193"}),
    ("1.000656", {"1.000656"}),
    ("3.000347", {"3.000347"}),
    ("1.004194", {"1.004194"}),
    ("1.0011", None),
    ("thủ tục 1.000894", {"1.000894"}),
    # everyday names (synonyms)
    ("bằng lái", {"3.000346", "3.000347", "3.000352", "3.000353", "3.000348"}),
    ("đổi bằng lái", {"3.000347"}),
    ("CCCD", {"1.014063", "1.014064", "1.014061", "1.014062"}),
    ("làm căn cước", {"1.014061", "1.014062", "2.000200", "1.001247"}),
    ("sổ đỏ", None),
    ("hộ chiếu", None),
    ("làm hộ chiếu", {"1.001456", "1.001471"}),
    ("khai tử", {"1.000656"}),
    ("giấy khai sinh", {"1.001193"}),
    ("tạm trú", {"1.004194"}),
    ("giấy phép kinh doanh", None),
    ("mở công ty", None),
    ("cà vẹt", None),
    ("lý lịch", None),
    ("xác nhận độc thân", None),
    ("visa", None),
    ("hộ khẩu", None),
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summarise(samples: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(samples, 50), 3),
        "p95_ms": round(percentile(samples, 95), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "max_ms": round(max(samples), 3),
        "n": len(samples),
    }


def child(backend: str) -> dict:
    """Run inside a child process whose DATABASE_URL points at the bench database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from cchc.catalog.models import Procedure
    from cchc.catalog.reference import load
    from cchc.catalog.search import search_procedures
    from cchc.core.textfold import fold

    call_command("migrate", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    load()
    load_s = time.perf_counter() - t0

    names = list(Procedure.objects.filter(is_active=True).values_list("code", "name_folded"))

    def naive_scan(query: str) -> list[str]:  # baseline 1: Python substring scan over all folded names
        q = fold(query)
        return [code for code, name in names if q in name][:5]

    def naive_icontains(query: str) -> list[str]:  # baseline 2: the database, folded icontains
        q = fold(query)
        return list(Procedure.objects.filter(name_folded__icontains=q).order_by("code").values_list("code", flat=True)[:5])

    def smart(query: str) -> list[str]:
        return [h.code for h in search_procedures(query, limit=5)]

    t0 = time.perf_counter()
    smart("warm up")  # builds the in-process word index once
    index_build_ms = (time.perf_counter() - t0) * 1000

    results = {}
    tops = {}
    for label, fn in (("search", smart), ("baseline_python_scan", naive_scan), ("baseline_icontains", naive_icontains)):
        samples = []
        per_query = {}
        top1 = top5 = judged = found_any = 0
        for query, expected in QUERIES:
            mine = []
            for _ in range(REPEAT):
                t = time.perf_counter()
                got = fn(query)
                mine.append((time.perf_counter() - t) * 1000)
            samples.extend(mine)
            per_query[query] = statistics.median(mine)
            found_any += bool(got)
            if label == "search":
                tops[query] = got
            if expected:
                judged += 1
                top1 += bool(got) and got[0] in expected
                top5 += any(c in expected for c in got)
        medians = list(per_query.values())
        results[label] = summarise(samples) | {
            "p95_of_query_medians_ms": round(percentile(medians, 95), 3),
            "slowest_queries_median_ms": dict(sorted(per_query.items(), key=lambda kv: -kv[1])[:5]),
            "queries_with_results": found_any,
            "top1_correct": top1,
            "top5_correct": top5,
            "judged_queries": judged,
        }
    return {
        "backend": backend,
        "procedures": len(names),
        "reference_load_s": round(load_s, 3),
        "index_build_ms": round(index_build_ms, 1),
        "results": results,
        "top5": tops,
    }


def ensure_pg_database(url: str) -> str | None:
    """(Re)create the dedicated bench database, so every run starts fresh like the SQLite one.

    Returns an error message when PostgreSQL is unreachable."""
    try:
        import psycopg
    except ImportError:
        return "psycopg not installed"
    from urllib.parse import urlparse

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            if not name.startswith("cchc_bench_"):
                return f"refusing to recreate {name!r}: the bench database name must start with cchc_bench_"
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - any connection failure means "skip PostgreSQL"
        return f"PostgreSQL unreachable ({exc.__class__.__name__}: {str(exc).strip()[:120]})"
    return None


def run_child(backend: str, url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="cchc.settings")
    proc = subprocess.run(
        [sys.executable, __file__, "--child", backend], env=env, capture_output=True, text=True, cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{backend} run failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2]), ensure_ascii=False))
        return 0
    report: dict = {"queries": len(QUERIES), "repeat": REPEAT, "backends": {}}
    with tempfile.TemporaryDirectory(prefix="cchc_bench_search_") as tmp:
        report["backends"]["sqlite"] = run_child("sqlite", f"sqlite:///{tmp}/bench.sqlite3")
    problem = ensure_pg_database(PG_URL)
    if problem:
        print(f"PostgreSQL skipped: {problem}")
        report["postgresql_skipped"] = problem
    else:
        report["backends"]["postgresql"] = run_child("postgresql", PG_URL)

    print(f"{len(QUERIES)} queries × {REPEAT} runs each (warm)")
    for backend, data in report["backends"].items():
        print(f"\n== {backend}: {data['procedures']} procedures, index build {data['index_build_ms']} ms")
        base = data["results"]
        for label, figures in base.items():
            ratio = figures["p95_ms"] / base["search"]["p95_ms"] if base["search"]["p95_ms"] else 0
            print(
                f"  {label:<22} p50 {figures['p50_ms']:7.3f} ms  p95 {figures['p95_ms']:7.3f} ms  "
                f"(p95 ×{ratio:.2f} of search)  with results {figures['queries_with_results']}/{len(QUERIES)}  "
                f"top1 {figures['top1_correct']}/{figures['judged_queries']}  top5 {figures['top5_correct']}/"
                f"{figures['judged_queries']}"
            )
        slow = ", ".join(f"{q!r} {ms:.2f}" for q, ms in base["search"]["slowest_queries_median_ms"].items())
        print(f"  search p95 of per-query medians {base['search']['p95_of_query_medians_ms']} ms; slowest: {slow}")
        data["target_p95_under_5ms"] = base["search"]["p95_ms"] < 5.0
    if len(report["backends"]) == 2:
        a, b = report["backends"]["sqlite"]["top5"], report["backends"]["postgresql"]["top5"]
        same = sum(1 for q in a if a[q] == b.get(q))
        report["identical_top5_across_databases"] = f"{same}/{len(a)}"
        print(f"\nidentical top-5 on SQLite and PostgreSQL: {same}/{len(a)}")
        report["differing_queries"] = [q for q in a if a[q] != b.get(q)]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
