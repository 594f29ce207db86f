"""The demo plan: realistic mix as of 05/12/2026, deterministic, idempotent (both databases)."""

from datetime import date

import pytest

from cchc.programme import demo, selectors
from cchc.programme.models import Plan, PlanTask

pytestmark = pytest.mark.django_db


def test_demo_plan_has_a_realistic_mix_and_is_idempotent():
    from cchc.accounts import demo as accounts_demo
    from cchc.units import demo as units_demo

    ctx: dict = {}
    units_demo.build(ctx)
    accounts_demo.build(ctx)
    demo.build(ctx)
    province = ctx["province"]
    plan = Plan.objects.get(unit=province, year=2026)
    assert plan.number == "245/KH-UBND" and plan.issued_on == date(2025, 12, 25) and plan.issued_on_time is True
    assert plan.tasks.count() == len(demo.PROVINCE_TASKS) >= 40
    c = selectors.completion(tasks=PlanTask.objects.all(), start=date(2026, 1, 1), end=date(2026, 12, 31), today=demo.AS_OF)
    assert c["done_on_time"] > c["done_late"] > 0 and c["overdue_open"] > 0 and 60 < c["rate"] < 95
    kinds = set(PlanTask.objects.values_list("kind", flat=True))
    assert {"press_briefing", "article", "contest", "business_meeting", "voter_petitions"} <= kinds
    assert Plan.objects.filter(year=2026).count() >= 4
    from cchc.units.targets import target_for

    online = target_for("online_share", province, 2026)
    assert online is not None and online.value == 80 and target_for("digitised_documents_share", province, 2026).value == 100
    assert target_for("online_share", ctx["communes"][0], 2026).value == 90  # the commune's own
    assert target_for("online_share", ctx["communes"][1], 2026).value == 80  # falls back to the province
    before = PlanTask.objects.count()
    demo.build(ctx)
    assert PlanTask.objects.count() == before
