"""scripts/audit_deps.py: vulnerabilities fail CI, an unreachable PyPI only warns (issue 11)."""

import importlib.util
import json
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "audit_deps", Path(__file__).resolve().parents[1] / "scripts" / "audit_deps.py"
)
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)


def _report(*deps):
    return json.dumps({"dependencies": list(deps), "fixes": []})


def test_a_known_vulnerability_fails_and_names_package_advisory_and_fix():
    out = _report(
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
        {"name": "openpyxl", "version": "3.1.5", "vulns": []},
    )
    code, lines = audit_deps.verdict(1, out, "")
    assert code == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-2025-1 (fixed in: 5.2.1)" in lines
    assert lines[0] == "pip-audit: 2 packages audited, 0 skipped, 1 vulnerable"


def test_a_clean_environment_passes():
    code, lines = audit_deps.verdict(0, _report({"name": "django", "version": "5.2.19", "vulns": []}), "")
    assert (code, lines) == (0, ["pip-audit: 1 packages audited, 0 skipped, 0 vulnerable"])


def test_pypi_unreachable_warns_and_passes_unless_strict():
    err = "Traceback ...\nrequests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded"
    code, lines = audit_deps.verdict(1, "", err)
    assert code == 0 and lines[0].startswith("WARNING: pip-audit could not reach PyPI")
    assert audit_deps.verdict(1, "", err, strict=True)[0] == 1


def test_skipped_packages_warn_and_strict_fails():
    out = _report(
        {"name": "redis", "skip_reason": "Dependency not found on PyPI"},
        {"name": "django", "version": "5.2.19", "vulns": []},
    )
    code, lines = audit_deps.verdict(0, out, "")
    assert code == 0 and lines[-1].startswith("WARNING: 1 packages not audited, e.g. redis:")
    assert audit_deps.verdict(0, out, "", strict=True)[0] == 1


def test_pip_audit_crashing_for_another_reason_fails():
    code, lines = audit_deps.verdict(2, "", "usage: pip-audit [-h] ... error: unrecognized arguments")
    assert code == 1 and lines[0].startswith("ERROR: pip-audit failed (exit 2)")
