"""Two kiosks at the same instant never get the same number; two counters never call the same ticket.

Real threads with their own database connections (transaction=True), on SQLite (file, IMMEDIATE transactions)
and PostgreSQL (row locks)."""

import threading

import pytest
from django.db import connection, connections

from cchc.counters import services
from cchc.counters.models import Ticket, TicketStatus

from .factories import local, make_queue_world

pytestmark = pytest.mark.django_db(transaction=True)

N_THREADS = 6
PER_THREAD = 5


def _run(fn, n):
    barrier = threading.Barrier(n)
    errors, results = [], []

    def worker(i):
        try:
            barrier.wait()
            results.extend(fn(i))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


@pytest.mark.skipif(connection.vendor == "sqlite" and "memory" in str(connection.settings_dict.get("TEST", {}).get("NAME") or ":memory:"),
                    reason="needs a file or server database shared by threads")
def test_kiosks_issuing_at_the_same_instant_get_distinct_consecutive_numbers():
    w = make_queue_world()
    at = local(2026, 12, 7, 8, 0)

    def issue(_i):
        return [services.ticket_issue(centre=w["centre"], group_id=w["a"].pk, now=at).number for _ in range(PER_THREAD)]

    numbers, errors = _run(issue, N_THREADS)
    assert errors == []
    assert sorted(numbers) == list(range(1, N_THREADS * PER_THREAD + 1))
    assert Ticket.objects.filter(group=w["a"]).values("number").distinct().count() == N_THREADS * PER_THREAD


@pytest.mark.skipif(connection.vendor == "sqlite" and "memory" in str(connection.settings_dict.get("TEST", {}).get("NAME") or ":memory:"),
                    reason="needs a file or server database shared by threads")
def test_counters_calling_at_once_never_take_the_same_ticket():
    w = make_queue_world()
    for _ in range(4):
        services.ticket_issue(centre=w["centre"], group_id=w["a"].pk, now=local(2026, 12, 7, 8, 0))
    counters = [w["c1"].pk, w["c3"].pk]

    def call(i):
        return [services.counter_call_next(counter_id=counters[i], actor=w["officer"], now=local(2026, 12, 7, 8, 5)).pk]

    called, errors = _run(call, 2)
    assert errors == [] and len(set(called)) == 2
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 2
