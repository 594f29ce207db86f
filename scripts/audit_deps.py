"""Dependency audit for CI (issue 11): pip-audit against the installed environment, PyPI's vulnerability data.

Kiểm tra lỗ hổng thư viện. Runs `pip-audit -s pypi` (PyPI's JSON API, the only host CI may reach) on the
environment of this interpreter, the project itself (editable) left out, and decides:
- a known vulnerability in an installed package      → exit 1, each one listed with its fixed versions;
- PyPI unreachable (connection, proxy, DNS, timeout)  → WARNING on stderr, exit 0 (a network failure is not a
  finding; CCHC_AUDIT_STRICT=1 turns it into exit 1 for a release build);
- packages PyPI could not answer for (skipped)        → listed as a WARNING, exit 0 (same switch);
- pip-audit itself failing otherwise                  → exit 1.
CCHC_AUDIT_IGNORE="ID1,ID2" accepts advisories reviewed and judged not to apply (say why in docs/deploy.md).
Usage: python scripts/audit_deps.py  (make audit)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

NETWORK_MARKERS = (
    "ConnectionError",
    "ProxyError",
    "ConnectTimeout",
    "ReadTimeout",
    "Max retries exceeded",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def run_pip_audit(timeout: int = 600) -> subprocess.CompletedProcess:
    cmd = [
        sys.executable,
        "-m",
        "pip_audit",
        "-s",
        "pypi",
        "-f",
        "json",
        "--progress-spinner",
        "off",
        "--skip-editable",
        "--timeout",
        "30",
    ]
    for vuln_id in filter(None, (v.strip() for v in os.environ.get("CCHC_AUDIT_IGNORE", "").split(","))):
        cmd += ["--ignore-vuln", vuln_id]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(
            cmd, 124, "", f"ReadTimeout: pip-audit took longer than {timeout} s"
        )


def verdict(returncode: int, stdout: str, stderr: str, *, strict: bool = False) -> tuple[int, list[str]]:
    """(exit code, lines to print) for one pip-audit run."""
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if report is None:
        if any(marker in stderr for marker in NETWORK_MARKERS):
            last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
            return (1 if strict else 0), [
                f"WARNING: pip-audit could not reach PyPI; dependencies NOT audited ({last[:300]})"
            ]
        return 1, [f"ERROR: pip-audit failed (exit {returncode}): {stderr.strip()[-1000:]}"]
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = len(deps) - len(skipped)
    lines = [f"pip-audit: {audited} packages audited, {len(skipped)} skipped, {len(vulnerable)} vulnerable"]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"VULNERABLE: {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixes})")
    if skipped:
        lines.append(
            f"WARNING: {len(skipped)} packages not audited, e.g. "
            + "; ".join(f"{d['name']}: {d['skip_reason']}" for d in skipped[:3])
        )
    if vulnerable:
        return 1, lines
    if skipped and strict:
        return 1, lines
    return 0, lines


def main() -> int:
    done = run_pip_audit()
    code, lines = verdict(
        done.returncode, done.stdout, done.stderr, strict=os.environ.get("CCHC_AUDIT_STRICT") == "1"
    )
    for line in lines:
        print(line, file=sys.stderr if line.startswith(("WARNING", "ERROR")) else sys.stdout)
    return code


if __name__ == "__main__":
    sys.exit(main())
