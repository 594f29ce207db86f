"""Adapter registry and operators' self-test (tự kiểm tra kết nối).

An *adapter* is one outside system behind a small interface (payment gateway, postal carrier, identity
provider, national portal, SMS/Zalo). Each app that owns an adapter registers it from its
`AppConfig.ready()`:

    from cchc.integrations.registry import Adapter, Check, register
    register(Adapter(name="payment", endpoint=lambda: payment_endpoint(), checks=[Check("sign", fn), ...]))

`endpoint` is a string or a callable returning one (read lazily from `settings.INTEGRATIONS`, so a test
that overrides the setting sees the new value); by default it is the local fake. A check is a callable
with no argument returning `(ok, detail)` or a `CheckResult`; an exception inside a check is a failed
check whose detail names the exception (a self-test never crashes half-way).

`selftest(only=None)` runs every registered adapter (or the one named) and returns
`{"adapters": [{"name", "endpoint", "ok", "checks": [{"name", "ok", "detail"}]}]}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FAKE = "fake"


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Check:
    """One contract check: `run()` → (ok, detail) or CheckResult."""

    name: str
    run: Callable[[], Any]


@dataclass
class Adapter:
    name: str
    endpoint: str | Callable[[], str]
    checks: list[Check] = field(default_factory=list)
    description: str = ""

    def resolved_endpoint(self) -> str:
        return self.endpoint() if callable(self.endpoint) else str(self.endpoint)


_ADAPTERS: dict[str, Adapter] = {}


def register(adapter: Adapter) -> Adapter:
    """Add (or replace, by name: `ready()` may run twice in tests) an adapter."""
    if not adapter.name or not isinstance(adapter.name, str):
        raise ValueError("adapter.name: bắt buộc, là chuỗi")
    _ADAPTERS[adapter.name] = adapter
    return adapter


def unregister(name: str) -> None:
    _ADAPTERS.pop(name, None)


def adapters() -> list[Adapter]:
    return [_ADAPTERS[name] for name in sorted(_ADAPTERS)]


def get(name: str) -> Adapter | None:
    return _ADAPTERS.get(name)


def config(name: str) -> dict:
    """settings.INTEGRATIONS[name] with `backend` defaulting to "fake" (see docs/integrations.md)."""
    from django.conf import settings

    conf = dict((getattr(settings, "INTEGRATIONS", {}) or {}).get(name) or {})
    conf.setdefault("backend", FAKE)
    conf["backend"] = (conf["backend"] or FAKE).strip().lower()
    return conf


def _run_check(check: Check) -> dict:
    try:
        result = check.run()
    except Exception as exc:  # a failing check, not a crash: operators need the whole report
        return {"name": check.name, "ok": False, "detail": f"{type(exc).__name__}: {exc}"}
    if isinstance(result, CheckResult):
        ok, detail = result.ok, result.detail
    elif isinstance(result, tuple) and len(result) == 2:
        ok, detail = result
    else:
        ok, detail = bool(result), ""
    return {"name": check.name, "ok": bool(ok), "detail": str(detail)}


def run_adapter(adapter: Adapter) -> dict:
    try:
        endpoint = adapter.resolved_endpoint()
    except Exception as exc:
        return {"name": adapter.name, "endpoint": "", "ok": False,
                "checks": [{"name": "endpoint", "ok": False, "detail": f"{type(exc).__name__}: {exc}"}]}
    checks = [_run_check(c) for c in adapter.checks]
    if not checks:  # an adapter without a check proves nothing: it does not pass
        checks = [{"name": "checks", "ok": False, "detail": "bộ kết nối chưa khai báo phép kiểm tra nào"}]
    return {"name": adapter.name, "endpoint": endpoint, "ok": all(c["ok"] for c in checks), "checks": checks}


def selftest(only: str | None = None) -> dict:
    """Run the contract checks; `only` = one adapter's name (KeyError when none has it)."""
    if only is not None:
        adapter = get(only)
        if adapter is None:
            raise KeyError(only)
        chosen = [adapter]
    else:
        chosen = adapters()
    return {"adapters": [run_adapter(a) for a in chosen]}
