"""scripts/check-env.sh (the prerequisite of `make test`) on a machine without chromium or PostgreSQL:
run with a fake PATH whose stub commands record what they were asked, as root and as another user."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check-env.sh"
BASH = "/bin/bash"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """A fake Debian machine: bin/ holds the commands, log records their calls, pg_etc the clusters."""
    bin_dir, pg_etc = tmp_path / "bin", tmp_path / "etc-postgresql"
    bin_dir.mkdir()
    pg_etc.mkdir()
    log = tmp_path / "calls.log"
    chromium = tmp_path / "chromium"

    def setup(*, root=False, chromium_installed=False, pg_running=False, pg_installed=False, apt=True, psql_ok=True):
        _stub(bin_dir, "id", f"echo {0 if root else 1000}")
        _stub(bin_dir, "dpkg", 'exit 0')  # the PDF libraries are there
        _stub(bin_dir, "sleep", "exit 0")
        # pg_isready answers once a cluster was started (the marker file) or when told it runs
        marker = tmp_path / "pg-started"
        if pg_running:
            marker.write_text("")
        _stub(bin_dir, "pg_isready", f'echo "pg_isready $*" >> {log}; [ -e {marker} ]')
        _stub(bin_dir, "psql", f'echo "psql $*" >> {log}; exit {0 if psql_ok else 2}')
        if pg_installed:
            (pg_etc / "15" / "main").mkdir(parents=True)
            _stub(bin_dir, "pg_ctlcluster", f'echo "pg_ctlcluster $*" >> {log}; : > {marker}')
        if apt:
            _stub(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}; '
                  f'case "$*" in *install*chromium*) printf "#!{BASH}\\n" > {chromium}; /bin/chmod +x {chromium};; esac')
        if chromium_installed:
            chromium.write_text(f"#!{BASH}\n")
            chromium.chmod(0o755)

    def run(*args, **extra_env):
        env = {**extra_env, "PATH": str(bin_dir), "CCHC_CHROMIUM": str(chromium), "CCHC_PG_ETC": str(pg_etc),
               "PG_URL": "postgres://postgres@127.0.0.1:5432/cchc_test"}
        result = subprocess.run([BASH, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30)
        calls = log.read_text().splitlines() if log.exists() else []
        return result.returncode, result.stdout + result.stderr, calls

    return setup, run


def test_a_ready_machine_passes_without_installing_anything(machine):
    setup, run = machine
    setup(chromium_installed=True, pg_running=True, pg_installed=True)
    code, out, calls = run()
    assert code == 0 and "sẵn sàng (chromium, thư viện PDF, PostgreSQL 127.0.0.1:5432)" in out
    assert not [c for c in calls if c.startswith(("apt-get", "pg_ctlcluster"))]


def test_without_root_it_prints_the_commands_to_run_and_fails_before_the_suite(machine):
    setup, run = machine
    setup()  # no chromium, no PostgreSQL
    code, out, calls = run()
    assert code == 1
    assert "sudo apt-get install -y chromium postgresql" in out
    assert "sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start" in out
    assert "make test-sqlite" in out and "-m \"not browser\"" in out
    assert not [c for c in calls if c.startswith(("apt-get", "pg_ctlcluster"))]  # nothing attempted


def test_without_root_a_stopped_cluster_names_its_version(machine):
    setup, run = machine
    setup(chromium_installed=True, pg_installed=True)
    code, out, _ = run()
    assert code == 1 and "sudo pg_ctlcluster 15 main start" in out and "apt-get install" not in out


def test_as_root_it_installs_chromium_and_starts_the_cluster(machine):
    setup, run = machine
    setup(root=True, pg_installed=True)
    code, out, calls = run()
    assert code == 0, out
    assert "apt-get install -y -q chromium" in calls
    assert "pg_ctlcluster --skip-systemctl-redirect 15 main start" in calls
    assert "khởi động PostgreSQL 15" in out


def test_without_postgres_only_the_browser_is_checked(machine):
    setup, run = machine
    setup(chromium_installed=True)
    code, out, calls = run("--without-postgres")
    assert code == 0 and "sẵn sàng (chromium, thư viện PDF)" in out
    assert not [c for c in calls if c.startswith("pg_isready")]


def test_a_cluster_that_wants_a_password_is_named(machine):
    setup, run = machine
    setup(chromium_installed=True, pg_running=True, pg_installed=True, psql_ok=False)
    code, out, _ = run()
    assert code == 1 and "không nhận người dùng postgres không mật khẩu" in out
    assert "PG_URL=postgres://postgres:MẬT_KHẨU@127.0.0.1:5432/cchc_test" in out


def test_cchc_no_install_only_reports_even_as_root(machine):
    setup, run = machine
    setup(root=True, pg_running=True, pg_installed=True)
    code, out, calls = run(CCHC_NO_INSTALL="1")
    assert code == 1 and "sudo apt-get install -y chromium" in out
    assert not [c for c in calls if c.startswith("apt-get")]
