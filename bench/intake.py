"""Benchmark: dossier intake and public lookup over HTTP on loopback, on SQLite and PostgreSQL.

    .venv/bin/python bench/intake.py [--database sqlite|postgres] [--present N] [--server gunicorn|wsgiref]
                                     [--workers 2] [--seconds 8] [--threads 4] [--json]

For each database a child process: migrates a temporary database (SQLite temp file; PostgreSQL database
`cchc_bench_intake`, dropped and re-created), creates a tiny province, a published procedure and an
officer with an API token, adds N dossiers already present (--present, copies of one real dossier, bulk
inserted), then serves the real WSGI application on 127.0.0.1 with the production server (gunicorn with
cchc/gunicorn_conf.py, --workers processes × 4 threads, the shared Redis cache when one answers on
127.0.0.1:6379) or the old threaded wsgiref server (--server wsgiref, the baseline of the first runs).
The load generator is this child process (the server runs in its own processes); for fixed durations:
  1. baseline: trivial GETs (public lookup of an unknown code → 404: throttle check + one indexed query);
  2. intake: POST /api/v1/dossiers/ with a fresh Idempotency-Key from N client threads (5 % are retries
     of an earlier key, which must replay and create nothing);
  3. lookups: GET /api/v1/public/dossiers/{code}/?token=... of the created dossiers.
Then counts acknowledged dossiers lost (a 201 whose code is not stored) and duplicated (one applicant,
i.e. one Idempotency-Key, stored twice), and the largest resident memory of a gunicorn worker.
Prints dossiers/s, p50/p95/p99, lookup p95 and the intake/baseline ratio; writes bench/results/intake.json
(cores, database, server recorded). With --json the last line is
{"server", "database", "dossiers_present", "intake_per_s", "intake_p95_ms", "lookup_p95_ms", "errors",
"lost", "duplicated"} (one line per database). The public-lookup throttle is raised for the run
(CCHC_PUBLIC_LOOKUP_RATE) so it measures the endpoint, not the limiter. Never touches var/cchc.sqlite3.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ holds calendar.py, which would shadow the standard library module: drop this folder from the path.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "intake.json"
PG_ADMIN_URL = os.environ.get("CCHC_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
PG_DB = "cchc_bench_intake"


def _pct(values, q):
    if not values:
        return None
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))
    return round(values[k] * 1000, 2)


def _request(url, *, method="GET", body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            payload = resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        payload = exc.read()
        status = exc.code
    return status, payload, time.perf_counter() - t0


def _run_for(seconds, threads, work):
    stop = time.perf_counter() + seconds
    out = [[] for _ in range(threads)]

    def loop(i):
        rnd = random.Random(i)
        while time.perf_counter() < stop:
            out[i].append(work(i, rnd))

    ts = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return [x for part in out for x in part], time.perf_counter() - t0


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def _add_present(n: int, officer, proc, centre, province) -> None:
    """N dossiers already in the database: copies of one real intake, bulk inserted in batches."""
    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier

    seed = services.dossier_receive(actor=officer, procedure_code=proc.code, unit_code=centre.code,
                                    applicant={"name": "Có sẵn 0", "kind": "person", "id_number": "000000000000"})
    fields = {f.attname: getattr(seed, f.attname) for f in Dossier._meta.concrete_fields if not f.primary_key}
    batch = 5000
    for start in range(1, n, batch):
        rows = []
        for i in range(start, min(n, start + batch - 1) + 1):
            rows.append(Dossier(**{**fields, "code": f"PRESENT-{i:09d}", "applicant_name": f"Có sẵn {i}"}))
        Dossier.objects.bulk_create(rows)


def _start_server(kind: str, workers: int, tmp: Path, redis_up: bool):
    """Start the server; return (stop, base_url, pids_of_workers)."""
    import socket

    if kind == "wsgiref":
        from socketserver import ThreadingMixIn
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

        from django.core.wsgi import get_wsgi_application
        from django.db import connections

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        class ThreadingServer(ThreadingMixIn, WSGIServer):
            daemon_threads = True

        app = get_wsgi_application()

        def application(environ, start_response):
            try:
                return app(environ, start_response)
            finally:
                connections.close_all()

        server = make_server("127.0.0.1", 0, application, server_class=ThreadingServer, handler_class=QuietHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server.shutdown, f"http://127.0.0.1:{server.server_port}", lambda: []

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "CCHC_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers), "WEB_THREADS": "4",
           "WEB_ACCESS_LOG": "", "WEB_LOG_LEVEL": "warning", "PYTHONPATH": str(ROOT)}
    if redis_up:
        env.update({"CACHE_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": f"bench-{os.getpid()}"})
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
    master = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:cchc.gunicorn_conf",
                               "cchc.wsgi:application"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _request(f"http://127.0.0.1:{port}/readyz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        master.kill()
        raise SystemExit("gunicorn did not start: " + (tmp / "gunicorn.log").read_text()[-2000:])

    def pids():
        try:
            children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in children]

    def stop():
        master.terminate()
        try:
            master.wait(timeout=40)
        except subprocess.TimeoutExpired:
            master.kill()
        log.close()

    return stop, f"http://127.0.0.1:{port}", pids


class _ConnectionSampler(threading.Thread):
    """PostgreSQL: the most connections to the bench database seen during the intake phase (every 50 ms)."""

    def __init__(self, db: str):
        super().__init__(daemon=True)
        self.db, self.peak, self._halt = db, None, threading.Event()

    def run(self):
        if self.db != "postgres":
            return
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            while not self._halt.is_set():
                n = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [PG_DB]).fetchone()[0]
                self.peak = max(self.peak or 0, n)
                self._halt.wait(0.05)

    def stop(self):
        self._halt.set()
        self.join(timeout=5)


def _max_rss_mb(pids) -> float | None:
    sizes = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return round(max(sizes), 1) if sizes else None


def child(db: str, seconds: float, threads: int, server_kind: str = "gunicorn", workers: int = 2, present: int = 0) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="cchc_bench_intake_"))
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{PG_DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings"
    os.environ["CCHC_VAR_DIR"] = str(tmp)
    os.environ["CCHC_MEDIA_ROOT"] = str(tmp / "files")
    os.environ["CCHC_PUBLIC_LOOKUP_RATE"] = "1000000/min"
    import django

    django.setup()
    from datetime import date
    from decimal import Decimal

    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from cchc.accounts.models import Role, User
    from cchc.catalog.models import Procedure, ProvinceProcedure
    from cchc.units.models import Unit, UnitKind

    call_command("migrate", verbosity=0, interactive=False)
    province = Unit.objects.create(code="B01", name="Tỉnh Bench", kind=UnitKind.PROVINCE)
    centre = Unit.objects.create(code="B01.TT", name="Trung tâm PVHCC", kind=UnitKind.SERVICE_CENTRE, parent=province, agency_id="H01.00.01")
    proc = Procedure.objects.create(code="1.000001", name="Thủ tục đo hiệu năng", time_value=3, time_unit="working_days")
    ProvinceProcedure.objects.create(province=province, procedure=proc, level="province", time_value=Decimal(3),
                                     time_unit="working_days", online_level="full", effective_from=date(2020, 1, 1))
    officer = User.objects.create_user(username="bench", password="matkhau123", role=Role.ONE_STOP_OFFICER, unit=centre)
    token = Token.objects.create(user=officer).key
    if present:
        _add_present(present, officer, proc, centre, province)
    from django.db import connections

    connections.close_all()
    redis_up = _redis_up()
    stop_server, base, server_pids = _start_server(server_kind, workers, tmp, redis_up)
    auth = {"Authorization": f"Token {token}"}

    # 0. warm-up (not measured): every worker imports its views and fills its caches on first requests
    _run_for(1.0, threads, lambda i, rnd: _request(f"{base}/api/v1/public/dossiers/H00-000000-0000/?token=XXXXXXXX"))

    # 1. baseline
    def trivial(i, rnd):
        status, _, dt = _request(f"{base}/api/v1/public/dossiers/H00-000000-0000/?token=XXXXXXXX")
        return status, dt

    base_res, base_time = _run_for(seconds / 2, threads, trivial)

    # 2. intake
    created: list[tuple[str, str]] = []
    keys: list[tuple[str, dict, dict]] = []
    lock = threading.Lock()
    counter = iter(range(10**9))

    def intake(i, rnd):
        if keys and rnd.random() < 0.05:
            with lock:
                key, body, first = rnd.choice(keys)
            status, payload, dt = _request(f"{base}/api/v1/dossiers/", method="POST", body=body, headers={**auth, "Idempotency-Key": key})
            replay_ok = status == 201 and json.loads(payload)["code"] == first["code"]
            return "retry", status, dt, replay_ok
        n = next(counter)
        key = f"bench-{i}-{n}"
        body = {"procedure_code": "1.000001", "unit_code": "B01.TT", "channel": rnd.choice(["counter", "online", "post"]),
                "applicant": {"name": f"Người nộp {n}", "kind": "person", "id_number": f"{n:012d}", "phone": "0912345678"}}
        status, payload, dt = _request(f"{base}/api/v1/dossiers/", method="POST", body=body, headers={**auth, "Idempotency-Key": key})
        if status == 201:
            data = json.loads(payload)
            with lock:
                created.append((data["code"], data["lookup_token"]))
                keys.append((key, body, data))
        return "new", status, dt, None

    sampler = _ConnectionSampler(db)
    sampler.start()
    intake_res, intake_time = _run_for(seconds, threads, intake)
    sampler.stop()
    new_ok = [r for r in intake_res if r[0] == "new" and r[1] == 201]
    errors = [r for r in intake_res if r[1] != 201]
    retries = [r for r in intake_res if r[0] == "retry"]

    # 3. lookups
    def lookup(i, rnd):
        code, tok = rnd.choice(created)
        status, _, dt = _request(f"{base}/api/v1/public/dossiers/{code}/?token={tok}")
        return status, dt

    look_res, look_time = _run_for(seconds / 2, threads, lookup)
    worker_rss_mb = _max_rss_mb(server_pids())
    stop_server()

    from django.db.models import Count

    from cchc.dossiers.models import Dossier

    bench_rows = Dossier.objects.filter(applicant_name__startswith="Người nộp ")
    stored = bench_rows.count()
    codes_unique = Dossier.objects.values("code").distinct().count() == Dossier.objects.count()
    acknowledged = {code for code, _ in created}
    stored_codes = set(bench_rows.values_list("code", flat=True))
    lost = len(acknowledged - stored_codes)
    duplicated = sum(row["n"] - 1 for row in bench_rows.values("applicant_id_number").annotate(n=Count("id")).filter(n__gt=1))
    result = {
        "database": db,
        "server": server_kind if server_kind == "wsgiref" else f"gunicorn gthread {workers}x4",
        "cores": os.cpu_count(),
        "cache": "redis" if redis_up and server_kind == "gunicorn" else "locmem",
        "dossiers_present": present,
        "threads": threads,
        "baseline_trivial_get_per_s": round(len(base_res) / base_time, 1),
        "baseline_p50_ms": _pct([r[1] for r in base_res], 50),
        "intake_dossiers_per_s": round(len(new_ok) / intake_time, 1),
        "intake_p50_ms": _pct([r[2] for r in new_ok], 50),
        "intake_p95_ms": _pct([r[2] for r in new_ok], 95),
        "intake_p99_ms": _pct([r[2] for r in new_ok], 99),
        "intake_errors": len(errors),
        "intake_error_statuses": sorted({r[1] for r in errors}),
        "lost": lost,
        "duplicated": duplicated,
        "max_worker_rss_mb": worker_rss_mb,
        "max_db_connections": sampler.peak,
        "idempotent_retries": len(retries),
        "idempotent_retries_replayed": sum(1 for r in retries if r[3]),
        "dossiers_stored": stored,
        "dossiers_expected": len(new_ok),
        "codes_unique": codes_unique,
        "lookups_per_s": round(len(look_res) / look_time, 1),
        "lookup_p50_ms": _pct([r[1] for r in look_res], 50),
        "lookup_p95_ms": _pct([r[1] for r in look_res], 95),
        "lookup_non_200": sum(1 for r in look_res if r[0] != 200),
        "lookup_p99_ms": _pct([r[1] for r in look_res], 99),
    }
    result["intake_vs_trivial_get_ratio"] = round(result["intake_dossiers_per_s"] / result["baseline_trivial_get_per_s"], 3) \
        if result["baseline_trivial_get_per_s"] else None
    connections.close_all()
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="intake phase length (baseline and lookups: half)")
    parser.add_argument("--threads", type=int, default=4, help="client threads of the load generator")
    parser.add_argument("--database", "--only", dest="database", choices=["sqlite", "postgres"])
    parser.add_argument("--present", type=int, default=0, help="dossiers already in the database before the load")
    parser.add_argument("--server", choices=["gunicorn", "wsgiref"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (4 threads each)")
    parser.add_argument("--json", action="store_true", help="last line(s): one JSON object per database")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.present < 0 or args.workers < 1 or args.threads < 1:
        parser.error("--present ≥ 0, --workers ≥ 1, --threads ≥ 1")
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(child(args.child, args.seconds, args.threads, args.server, args.workers, args.present)))
        return 0
    results = {}
    for db in [args.database] if args.database else ["sqlite", "postgres"]:
        proc = subprocess.run([sys.executable, __file__, "--child", db, "--seconds", str(args.seconds), "--threads",
                               str(args.threads), "--server", args.server, "--workers", str(args.workers),
                               "--present", str(args.present)],
                              capture_output=True, text=True, timeout=args.seconds * 2 + 240 + args.present / 500, cwd=ROOT)
        if proc.returncode != 0:
            print(f"== {db}: FAILED\n{proc.stderr[-3000:]}")
            results[db] = {"error": proc.stderr[-2000:]}
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results[db] = r
        print(f"== {db} ({r['server']}, {r['cores']} cores, cache {r['cache']}, {r['dossiers_present']} present): "
              f"intake {r['intake_dossiers_per_s']} dossiers/s (p50 {r['intake_p50_ms']} ms, p95 {r['intake_p95_ms']} ms, "
              f"p99 {r['intake_p99_ms']} ms, {r['intake_errors']} errors {r['intake_error_statuses']}); trivial GET "
              f"{r['baseline_trivial_get_per_s']}/s; ratio intake/trivial {r['intake_vs_trivial_get_ratio']}; lookup p50 "
              f"{r['lookup_p50_ms']} ms, p95 {r['lookup_p95_ms']} ms ({r['lookups_per_s']}/s); retries replayed "
              f"{r['idempotent_retries_replayed']}/{r['idempotent_retries']}; stored {r['dossiers_stored']} = expected "
              f"{r['dossiers_expected']}; lost {r['lost']}, duplicated {r['duplicated']}; codes unique {r['codes_unique']}; "
              f"largest worker {r['max_worker_rss_mb']} MB; peak database connections {r['max_db_connections']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"benchmark": "intake", "seconds": args.seconds, "threads": args.threads,
                                   "server": args.server, "workers": args.workers, "dossiers_present": args.present,
                                   "cores": os.cpu_count(), "results": results}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    if args.json:
        for db, r in results.items():
            print(json.dumps({"server": r.get("server", args.server), "database": db, "dossiers_present": args.present,
                              "intake_per_s": r.get("intake_dossiers_per_s"), "intake_p95_ms": r.get("intake_p95_ms"),
                              "lookup_p95_ms": r.get("lookup_p95_ms"), "errors": r.get("intake_errors"),
                              "lost": r.get("lost"), "duplicated": r.get("duplicated")}, ensure_ascii=False))
    return 0 if all("error" not in r for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
