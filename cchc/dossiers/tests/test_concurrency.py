"""Concurrent intake on a real server database: numbers never collide, an idempotency key never doubles.

Needs real concurrent transactions, so it runs on PostgreSQL (the in-memory SQLite test database is one
connection shared by the test thread); on SQLite the counter's correctness rests on the writers being
serialised by BEGIN IMMEDIATE (see settings) and bench/intake.py exercises it over HTTP.
"""

import threading

import pytest
from django.db import connection, connections

from cchc.dossiers import services
from cchc.dossiers.models import Dossier

from .factories import applicant

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"),
]


def _parallel(n, fn):
    barrier = threading.Barrier(n)
    errors, results = [], []

    def run(i):
        try:
            barrier.wait()
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_intakes_get_consecutive_unique_numbers(world):
    results, errors = _parallel(8, lambda i: services.dossier_receive(
        actor=world["officer"], procedure_code=world["procedure"].code, unit_code=world["centre"].code,
        channel="counter", applicant=applicant()).code)
    assert errors == []
    assert sorted(c[-4:] for c in results) == [f"{i:04d}" for i in range(1, 9)]


def test_concurrent_retries_with_one_idempotency_key_create_one_dossier(world):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token = Token.objects.create(user=world["officer"]).key
    body = {"procedure_code": world["procedure"].code, "unit_code": world["centre"].code, "channel": "counter",
            "applicant": applicant()}

    def post(i):
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        r = c.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="race-1")
        return r.status_code, r.json()["code"]

    results, errors = _parallel(6, post)
    assert errors == []
    assert {status for status, _ in results} == {201}
    assert len({code for _, code in results}) == 1
    assert Dossier.objects.count() == 1
