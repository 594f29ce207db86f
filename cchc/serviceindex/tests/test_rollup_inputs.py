"""The 766 index read from the rollups equals the index computed from the dossier table (the live oracle).

A random history (the generator of the rollup test: receipts, online submissions, hand-overs, supplements,
pauses, apologies, results on the due second, returns, refusals, withdrawals, payments, electronic documents,
deletions, back-dated instants) plus citizens' ratings through `dossier_rate`; then `compute_index`,
`drill_units` and the per-unit counts are compared, rollups vs `inputs.live_oracle()`, for months, a quarter,
a year, a running month cut at `now`, the province, units and a procedure field.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Max

from cchc.core.errors import ConflictError, DomainError
from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierPause
from cchc.dossiers.tests.test_rollups import _step
from cchc.serviceindex import compute, inputs
from cchc.serviceindex.periods import parse_period

pytestmark = pytest.mark.django_db
FIELD = "Lý lịch tư pháp"


def _rate_some(rng: random.Random) -> int:
    """Citizens rate returned dossiers (1–5) through the service, as on the lookup page."""
    rated = 0
    for d in Dossier.objects.filter(status__in=[wf.RETURNED, wf.RETURNED_LATE], rating__isnull=True):
        if rng.random() < 0.7:
            try:
                services.dossier_rate(
                    code=d.code, token=d.lookup_token, overall=rng.choice([1, 2, 2, 3, 4, 5])
                )
                rated += 1
            except (DomainError, ConflictError):
                pass
    return rated


def _last_instant():
    agg = Dossier.objects.aggregate(
        *(
            Max(f)
            for f in ("received_at", "submitted_at", "settled_at", "closed_at", "returned_at", "paused_since")
        )
    )
    pauses = DossierPause.objects.aggregate(a=Max("started_at"), b=Max("ended_at"))
    return max(t for t in [*agg.values(), *pauses.values()] if t is not None)


def _both(fn, **kw):
    rolled = fn(**kw)
    with inputs.live_oracle():
        live = fn(**kw)
    return rolled, live


def _nonzero(by_unit: dict) -> dict:
    return {u: c for u, c in by_unit.items() if any(c.values())}


def _check(world, label: str, now) -> None:
    province = world["province"]
    local = now.astimezone(world["tz"])
    running = parse_period(f"{local.year}-{local.month:02d}")
    periods = [
        parse_period("2026-03"),
        parse_period("2026-04"),
        parse_period("2026-Q1"),
        parse_period("2026"),
        running,
    ]
    scopes = [
        {},
        {"unit": world["dept"]},
        {"unit": world["centre"]},
        {"unit": world["commune"]},
        {"field": FIELD},
    ]
    for period in periods:
        for scope in scopes:
            rolled, live = _both(compute.compute_index, province=province, period=period, now=now, **scope)
            assert rolled == live, (label, period.label, scope)
        rolled, live = _both(compute.drill_units, province=province, period=period, indicator="5.4", now=now)
        assert rolled == live, (label, "drill 5.4", period.label)
        sc = compute.scope_for(province=province)
        rolled, live = _both(
            inputs.dossier_counts,
            scope=sc,
            date_from=period.date_from,
            date_to=period.date_to,
            now=now,
            by_unit=True,
        )
        assert _nonzero(rolled) == _nonzero(live), (label, "by unit", period.label)
        rolled, live = _both(
            inputs.settlement_days, scope=sc, date_from=period.date_from, date_to=period.date_to
        )
        assert rolled == live, (label, "2.2", period.label)


def test_the_index_through_the_rollups_equals_the_index_from_the_dossier_table(world, indicator_set):
    from zoneinfo import ZoneInfo

    world["tz"] = ZoneInfo("Asia/Ho_Chi_Minh")
    world["procedure"].field = FIELD
    world["procedure"].save(update_fields=["field"])
    rng = random.Random(766)
    alive: list = []
    rated = 0
    for batch in range(3):
        for _ in range(45):
            _step(world, rng, alive)
        rated += _rate_some(rng)
        last = _last_instant()
        # a period finished long ago, and the running month cut one hour after the last recorded instant
        # (the rollups add the dossiers changed since midnight from the dossier table: the tail)
        _check(world, f"batch {batch}", last + timedelta(hours=1))
    assert rated, "the history produced ratings"
    counts = inputs.dossier_counts(
        compute.scope_for(province=world["province"]),
        parse_period("2026").date_from,
        parse_period("2026").date_to,
        now=_last_instant() + timedelta(days=1),
    )
    assert counts["handled"] > 0 and counts["dissatisfied"] > 0 and counts["settled"] > 0, counts
    days, n = inputs.settlement_days(
        compute.scope_for(province=world["province"]),
        parse_period("2026").date_from,
        parse_period("2026").date_to,
    )
    assert n == counts["settled"] and days > Decimal(0)


def test_a_rating_and_its_removal_move_indicator_5_4_in_the_same_transaction(world, indicator_set):
    from django.contrib.admin.sites import site

    from cchc.dossiers.models import DossierRating

    from .test_compute import AFTER, MARCH, complete, receive

    d = receive(world)
    complete(world, d, d.received_at + timedelta(days=1))
    d.refresh_from_db()
    services.dossier_transition(
        dossier=d,
        action=wf.RETURN,
        actor=world["officer"],
        version=d.version,
        at=d.received_at + timedelta(days=2),
    )
    scope = compute.scope_for(province=world["province"])

    def dissatisfied():
        rolled, live = _both(
            inputs.dossier_counts, scope=scope, date_from=MARCH.date_from, date_to=MARCH.date_to, now=AFTER
        )
        return rolled["dissatisfied"], live["dissatisfied"]

    assert dissatisfied() == (0, 0)
    services.dossier_rate(code=d.code, token=d.lookup_token, overall=2)  # 2 = "không hài lòng": counted
    assert dissatisfied() == (1, 1)
    rating = DossierRating.objects.get(dossier=d)
    site._registry[DossierRating].delete_model(None, rating)  # the admin's delete keeps the rollups in step
    assert dissatisfied() == (0, 0)


def test_a_dossier_open_at_the_period_end_and_rated_later_is_dissatisfied_in_that_period(
    world, indicator_set
):
    """5.4 counts handled dossiers rated dissatisfied; a dossier still in process at the end of March, settled
    and rated in April, is handled in March (open at its end) and dissatisfied: the rollups' open interval of
    rated dossiers (dissatisfied_open_delta), not only the result day, must carry it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from .test_compute import AFTER, MARCH, complete, receive

    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    d = receive(world)  # 02/03
    complete(world, d, datetime(2026, 4, 2, 9, 0, tzinfo=vn))
    d.refresh_from_db()
    services.dossier_transition(
        dossier=d,
        action=wf.RETURN_LATE,
        actor=world["officer"],
        version=d.version,
        at=datetime(2026, 4, 3, 9, 0, tzinfo=vn),
    )
    services.dossier_rate(code=d.code, token=d.lookup_token, overall=1)
    scope = compute.scope_for(province=world["province"])
    april = parse_period("2026-04")
    for period, now in [(MARCH, AFTER), (april, AFTER), (MARCH, datetime(2026, 3, 20, 12, 0, tzinfo=vn))]:
        rolled, live = _both(
            inputs.dossier_counts, scope=scope, date_from=period.date_from, date_to=period.date_to, now=now
        )
        assert (
            (rolled["handled"], rolled["dissatisfied"]) == (live["handled"], live["dissatisfied"]) == (1, 1)
        ), (period, now)
