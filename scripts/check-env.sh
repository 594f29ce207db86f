#!/usr/bin/env bash
# Kiểm tra môi trường kiểm thử (make test): chromium, thư viện in PDF, PostgreSQL.
#
#   scripts/check-env.sh [--without-postgres]
#
# What the test suite needs beyond the Python packages, checked before pytest starts so a fresh machine
# fails here with the command to run, not deep in the suite:
#   - chromium (browser tests, Playwright drives Debian's binary: $CCHC_CHROMIUM, default /usr/bin/chromium)
#   - fonts and libraries weasyprint needs, and poppler-utils (PDF receipts and their tests)
#   - PostgreSQL answering at $PG_URL (second run of `make test`), unless --without-postgres
# As root it installs the missing Debian packages (apt-get) and starts a local cluster (pg_ctlcluster);
# CCHC_NO_INSTALL=1 only reports. As another user it prints the exact commands (sudo ...) and the
# alternatives: `make test-sqlite`, or PYTEST_ARGS='-m "not browser"'. Exit 0 ready, 1 not ready.
# Uses only bash built-ins and the commands it checks for (tests run it with a fake PATH).
set -u

PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/cchc_test}"
CHROMIUM="${CCHC_CHROMIUM:-/usr/bin/chromium}"
PG_ETC="${CCHC_PG_ETC:-/etc/postgresql}"
PDF_PACKAGES=(fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
with_postgres=1
[ "${1:-}" = "--without-postgres" ] && with_postgres=0

say() { printf 'check-env: %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u 2>/dev/null || echo 1)" = "0" ]; }
may_install() { is_root && [ "${CCHC_NO_INSTALL:-0}" != "1" ] && have apt-get; }

missing=()  # Debian packages to install
todo=()     # commands the user must run
apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1; apt_updated=1; fi
  say "cài gói Debian: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# 1. chromium and the PDF libraries
[ -x "$CHROMIUM" ] || missing+=(chromium)
if have dpkg; then
  for pkg in "${PDF_PACKAGES[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
fi

# 2. PostgreSQL
pg_host=127.0.0.1 pg_port=5432
if [[ "$PG_URL" =~ ^postgres(ql)?://([^@/]*@)?([^:/]*)(:([0-9]+))?/ ]]; then
  pg_host="${BASH_REMATCH[3]:-127.0.0.1}"
  pg_port="${BASH_REMATCH[5]:-5432}"
fi
pg_local=0
case "$pg_host" in 127.0.0.1|localhost|::1|"") pg_local=1 ;; esac
pg_ready() { have pg_isready && pg_isready -h "$pg_host" -p "$pg_port" -q >/dev/null 2>&1; }
if [ $with_postgres = 1 ] && ! pg_ready && [ $pg_local = 1 ] && ! have pg_ctlcluster; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if may_install; then
    apt_install "${missing[@]}" || todo+=("apt-get install -y ${missing[*]}")
    [ -x "$CHROMIUM" ] || [[ " ${missing[*]} " != *" chromium "* ]] || todo+=("apt-get install -y chromium")
  else
    say "thiếu gói: ${missing[*]}"
    todo+=("sudo apt-get install -y ${missing[*]}")
  fi
fi

if [ $with_postgres = 1 ] && ! pg_ready; then
  if [ $pg_local = 1 ] && have pg_ctlcluster; then
    versions=()
    for dir in "$PG_ETC"/*/main; do [ -d "$dir" ] && { dir="${dir%/main}"; versions+=("${dir##*/}"); }; done
    if is_root; then
      for v in "${versions[@]}"; do
        say "khởi động PostgreSQL $v"
        pg_ctlcluster --skip-systemctl-redirect "$v" main start >/dev/null 2>&1 || true
      done
      for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do pg_ready && break; sleep 1; done
    fi
    if ! pg_ready; then
      say "PostgreSQL không trả lời tại $pg_host:$pg_port"
      if [ ${#versions[@]} -gt 0 ]; then
        for v in "${versions[@]}"; do todo+=("sudo pg_ctlcluster $v main start"); done
      else
        todo+=("sudo pg_createcluster --start 15 main   (hoặc phiên bản PostgreSQL đã cài)")
      fi
    fi
  elif [ $pg_local = 1 ] && [[ " ${missing[*]} " == *" postgresql "* ]]; then
    todo+=("sudo pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start")
  else
    say "PostgreSQL không trả lời tại $pg_host:$pg_port (PG_URL=$PG_URL)"
    todo+=("khởi động PostgreSQL tại $pg_host:$pg_port hoặc đặt PG_URL=postgres://USER@HOST:PORT/cchc_test")
  fi
fi

# 3. PostgreSQL accepts our user (a fresh Debian cluster asks a password over TCP; the tests use PG_URL as is)
pg_user="postgres"
[[ "$PG_URL" =~ ^postgres(ql)?://([^:@/]+)(:[^@/]*)?@ ]] && pg_user="${BASH_REMATCH[2]}"
if [ $with_postgres = 1 ] && pg_ready && have psql && [[ "$PG_URL" != *:*:*@* ]]; then
  if ! PGCONNECT_TIMEOUT=5 psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -Atqc 'select 1' >/dev/null 2>&1 </dev/null; then
    say "PostgreSQL tại $pg_host:$pg_port không nhận người dùng $pg_user không mật khẩu"
    todo+=("đặt PG_URL=postgres://$pg_user:MẬT_KHẨU@$pg_host:$pg_port/cchc_test, hoặc thêm 'host all $pg_user 127.0.0.1/32 trust' vào pg_hba.conf rồi nạp lại PostgreSQL")
  fi
fi

if [ ${#todo[@]} -gt 0 ]; then
  say "môi trường kiểm thử CHƯA sẵn sàng. Chạy:"
  for t in "${todo[@]}"; do printf '    %s\n' "$t"; done
  say "hoặc chỉ chạy trên SQLite: make test-sqlite; bỏ kiểm thử trình duyệt: make test PYTEST_ARGS='-m \"not browser\"'"
  exit 1
fi
if [ $with_postgres = 1 ]; then
  say "môi trường kiểm thử sẵn sàng (chromium, thư viện PDF, PostgreSQL $pg_host:$pg_port)"
else
  say "môi trường kiểm thử sẵn sàng (chromium, thư viện PDF)"
fi
exit 0
