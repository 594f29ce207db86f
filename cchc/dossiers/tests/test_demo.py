"""Demo dossiers: a realistic, idempotent year for the demo province (small scale in tests)."""

import pytest

from cchc.core.audit import audit_verify
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierStep

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo(monkeypatch):
    import importlib

    monkeypatch.setenv("CCHC_DEMO_DOSSIERS", "3000")
    for name in ("cchc.units.reference", "cchc.calendar.reference", "cchc.catalog.reference"):
        importlib.import_module(name).load()
    ctx: dict = {"logins": []}
    for name in ("cchc.units.demo", "cchc.accounts.demo", "cchc.catalog.demo", "cchc.dossiers.demo"):
        importlib.import_module(name).build(ctx)
    return ctx


def test_the_demo_builds_a_year_of_dossiers_with_realistic_shares_and_is_idempotent(demo):
    from datetime import date, timedelta

    from django.utils import timezone

    from cchc.dossiers.selectors import dossier_statistics

    province = demo["province"]
    qs = Dossier.objects.filter(province=province)
    assert qs.count() == 3000
    assert qs.values("code").distinct().count() == 3000
    online = qs.filter(channel="online").count() / 3000
    assert 0.3 < online < 0.55
    assert 0.005 < qs.filter(status=wf.REJECTED).count() / 3000 < 0.02
    assert qs.filter(status__in=wf.ACTIVE_STATES).exists()
    settled = qs.filter(settled_at__isnull=False)
    for d in settled[:200]:
        assert d.received_at <= d.counted_from <= d.due_at
    today = timezone.localdate()
    [row] = dossier_statistics(units=None, date_from=today - timedelta(days=366), date_to=today, group_by=())
    assert row["received_new"] == 3000
    assert 90 <= row["on_time_rate"] <= 99.5
    assert row["apology_issued"] > 0 and row["supplemented"] > 0
    assert DossierStep.objects.filter(dossier__province=province, on_time=False).exists()
    assert audit_verify().ok

    from cchc.dossiers import demo as dossier_demo

    dossier_demo.build(demo)
    assert Dossier.objects.filter(province=province).count() == 3000
    assert date.today()  # sanity: the run finished
