"""Schemathesis against the OpenAPI schema (issue 11): every operation, as each role, through the WSGI app.

Kiểm thử mờ API: for each operation of /api/schema/ and each role (anonymous, citizen, one-stop officer, unit
head, PAR office), schemathesis generates a few valid and a few invalid requests, sends them to Django's WSGI
application in-process (same database transaction as the test, no live server) and checks the answers: no 5xx,
status code documented, content type documented, body conforms to the documented schema.

Bounded for CI: CCHC_FUZZ_EXAMPLES (default 1) generated requests per operation and mode, the same ones sent as
every role; derandomized (same requests every run), no deadline, no shrinking. `make fuzz` runs the soak
variant (CCHC_FUZZ_SOAK=1, CCHC_FUZZ_SOAK_EXAMPLES, default 20). CCHC_FUZZ_REPORT=FILE writes every failure.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable

schemathesis = pytest.importorskip("schemathesis")

from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.core.failures import Failure, FailureGroup  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ["anonymous", "citizen", "one_stop_officer", "unit_head", "par_office"]


@dataclass
class FuzzReport:
    """Số yêu cầu và các lỗi theo loại."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    samples: dict = field(default_factory=dict)  # (kind, operation) -> first message
    generate_seconds: float = 0.0
    send_seconds: float = 0.0
    unsatisfiable: list = field(
        default_factory=list
    )  # operations schemathesis can make no invalid request for

    def add(self, kind: str, label: str, role: str, message: str) -> None:
        self.kinds[kind] += 1
        self.samples.setdefault((kind, label), f"[{role}] {message}")

    def summary(self, *, limit: int = 40) -> str:
        lines = [
            f"{self.requests} requests; statuses {dict(sorted(self.statuses.items()))}; failures {dict(self.kinds)}; "
            f"no invalid request possible for {len(self.unsatisfiable)} operations; "
            f"{self.generate_seconds:.1f} s generating, {self.send_seconds:.1f} s sending and checking"
        ]
        for (kind, label), message in sorted(self.samples.items())[:limit]:
            lines.append(f"- {kind} {label}: {' '.join(message.split())[:300]}")
        return "\n".join(lines)


def _tokens(world) -> dict[str, dict]:
    from rest_framework.authtoken.models import Token

    from cchc.accounts.models import Role, User

    citizen = User.objects.create_user(username="congdan.fuzz", password="matkhau123", role=Role.CITIZEN)
    par = User.objects.create_user(
        username="sonoivu.fuzz", password="matkhau123", role=Role.PAR_OFFICE, unit=world["province"]
    )
    users = {
        "citizen": citizen,
        "one_stop_officer": world["officer"],
        "unit_head": world["head"],
        "par_office": par,
    }
    headers = {"anonymous": {}}
    for role, user in users.items():
        token, _ = Token.objects.get_or_create(user=user)
        headers[role] = {"Authorization": f"Token {token.key}"}
    return headers


class _InProcessWSGI:
    """Django's WSGI app, keeping the test's connection open (as django.test.Client does)."""

    def __init__(self):
        from django.core.wsgi import get_wsgi_application

        self.app = get_wsgi_application()

    def __call__(self, environ, start_response):
        from django.core import signals
        from django.db import close_old_connections

        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return self.app(environ, start_response)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


def _cases(operation, mode, settings) -> list:
    """`examples` generated requests for one operation and mode (the same ones are then sent as every role)."""
    cases = []

    def collect(case):
        cases.append(case)

    settings(given(case=operation.as_strategy(generation_mode=mode))(collect))()
    return cases


def _negatable(operation) -> bool:
    """Schemathesis can only make an invalid request for an input with a rule to break: a body, a typed or
    constrained parameter (a free-text path parameter such as {code} accepts any string)."""
    definition = operation.definition.raw
    if definition.get("requestBody"):
        return True
    for parameter in definition.get("parameters", []):
        rules = parameter.get("schema", {})
        free_text = rules.get("type") == "string" and not set(rules) - {"type", "description"}
        if not (parameter.get("in") == "path" and free_text):
            return True
    return False


def run_fuzz(
    client, world, *, examples: int, modes=(GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
) -> FuzzReport:
    """Every operation × generation mode × role, `examples` requests each; failures collected, not raised."""
    from django.core.cache import cache

    raw = client.get("/api/schema/?format=json").json()
    schema = schemathesis.openapi.from_dict(raw)
    app = _InProcessWSGI()
    headers_by_role = _tokens(world)
    report = FuzzReport()
    settings = hsettings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in modes:
            if mode == GenerationMode.NEGATIVE and not _negatable(operation):
                continue
            started = time.perf_counter()
            try:
                cases = _cases(operation, mode, settings)
            except Unsatisfiable:
                # no invalid request exists (a free-text path parameter is the only input): nothing to send
                report.unsatisfiable.append(f"{operation.label} [{mode.value}]")
                continue
            except Exception as exc:  # a strategy that cannot be built is a schema defect: count it
                report.add(f"Generation:{type(exc).__name__}", operation.label, mode.value, str(exc))
                continue
            finally:
                report.generate_seconds += time.perf_counter() - started
            started = time.perf_counter()
            for role in ROLES:
                cache.clear()  # throttles count per role and operation, not across the whole run
                headers = headers_by_role[role]
                for case in cases:
                    _send(app, report, case, role, headers)
            report.send_seconds += time.perf_counter() - started
    return report


def _send(app, report: FuzzReport, case, role: str, headers: dict) -> None:
    response = case.call(app=app, headers=headers)
    report.requests += 1
    report.statuses[response.status_code] += 1
    label = case.operation.label
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            report.add(
                type(failure).__name__,
                label,
                role,
                f"{response.status_code} {failure.title}: {failure.message}",
            )
    except Failure as failure:
        report.add(
            type(failure).__name__, label, role, f"{response.status_code} {failure.title}: {failure.message}"
        )


@pytest.fixture
def fuzz_world(db, settings, tmp_path):
    from django.core.cache import cache

    from cchc.dossiers.tests.factories import make_world

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield make_world()
    cache.clear()


def _assert_clean(report: FuzzReport) -> None:
    if os.environ.get("CCHC_FUZZ_REPORT"):  # the whole list, for a person fixing the schema
        with open(os.environ["CCHC_FUZZ_REPORT"], "w", encoding="utf-8") as out:
            out.write(report.summary(limit=10_000) + "\n")
    print(report.summary())
    assert report.requests > 0
    assert not report.kinds, report.summary()


def test_api_fuzz_every_operation_as_each_role(client, fuzz_world):
    """CI: one valid and one invalid request per operation and role (≈1,000 requests)."""
    _assert_clean(run_fuzz(client, fuzz_world, examples=int(os.environ.get("CCHC_FUZZ_EXAMPLES", "1"))))


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CCHC_FUZZ_SOAK") != "1", reason="soak run: make fuzz (CCHC_FUZZ_SOAK=1)")
def test_api_fuzz_soak(client, fuzz_world):
    """`make fuzz`: CCHC_FUZZ_SOAK_EXAMPLES (default 20) valid and invalid requests per operation and role."""
    _assert_clean(run_fuzz(client, fuzz_world, examples=int(os.environ.get("CCHC_FUZZ_SOAK_EXAMPLES", "20"))))
