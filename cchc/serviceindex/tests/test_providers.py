"""Provider registry (inputs.register_provider): higher apps (feedback, payments, portal sync) serve an
indicator's figures; a provider with data wins over the entered figure and the platform statistic, a
provider without data (None) leaves the indicator to its configured source."""

from datetime import date

import pytest

from cchc.serviceindex import compute, inputs
from cchc.serviceindex.services import figure_enter
from cchc.serviceindex.tests.test_compute import AFTER, MARCH, indicator, march  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db]
WITH_MARCH = pytest.mark.usefixtures("march")  # the four March dossiers of test_compute


@pytest.fixture
def providers():
    saved = dict(inputs.PROVIDERS)
    inputs.PROVIDERS.clear()
    yield inputs.PROVIDERS
    inputs.PROVIDERS.clear()
    inputs.PROVIDERS.update(saved)


@WITH_MARCH
def test_a_provider_with_data_wins_over_the_entered_figure(world, providers):
    calls = []

    def feedback_5_2(province, start, end, unit=None):
        calls.append((province.code, start, end, unit))
        return {"numerator": 3, "denominator": 4, "source": "feedback"}

    inputs.register_provider("5.2", feedback_5_2)
    figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="5.2", numerator=1, denominator=10)
    r = compute.compute_index(province=world["province"], period=MARCH, now=AFTER)
    i = indicator(r, "5.2")
    # 3 ÷ 4 = 75 %, linear 6 × 75 ÷ 100 = 4.5 (the entered 1 ÷ 10 would give 0.6)
    assert (i["numerator"], i["denominator"], i["rate"], i["points"], i["source"], i["status"]) == (3, 4, 75.0, 4.5, "feedback", "ok")
    assert calls == [("T99", date(2026, 3, 1), date(2026, 3, 31), None)]
    # the unit view passes the unit
    compute.compute_index(province=world["province"], period=MARCH, unit=world["centre"], now=AFTER)
    assert calls[-1][3] == world["centre"]


@WITH_MARCH
def test_a_provider_without_data_falls_back_to_the_entered_figure(world, providers):
    inputs.register_provider("1.4", lambda province, start, end, unit=None: None)
    figure_enter(actor=world["admin"], province=world["province"], period="2026-03", indicator_code="1.4", numerator=9, denominator=10)
    i = indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "1.4")
    # 9 ÷ 10 = 90 %, linear 4.5 × 90 ÷ 100 = 4.05, still "entered"
    assert (i["rate"], i["points"], i["source"]) == (90.0, 4.05, "entered")


@WITH_MARCH
def test_a_provider_can_replace_a_platform_statistic(world, providers):
    # payments: 2 of 4 fee-charged dossiers paid online → 50 %, linear 5 × 50 ÷ 100 = 2.5 (the dossiers alone say 1 of 4)
    inputs.register_provider("3.6", lambda province, start, end, unit=None: (2, 4, "payments"))
    i = indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "3.6")
    assert (i["numerator"], i["denominator"], i["points"], i["source"]) == (2, 4, 2.5, "payments")
    # returning None again: back to the platform's 1 of 4 = 1.25
    inputs.unregister_provider("3.6")
    inputs.register_provider("3.6", lambda province, start, end, unit=None: None)
    i = indicator(compute.compute_index(province=world["province"], period=MARCH, now=AFTER), "3.6")
    assert (i["numerator"], i["points"], i["source"]) == (1, 1.25, "platform")


@WITH_MARCH
def test_a_provider_serves_the_unit_drill_down(world, providers):
    def by_unit(province, start, end, unit=None):
        return (1, 2) if unit is not None and unit.pk == world["centre"].pk else None

    inputs.register_provider("5.2", by_unit)
    rows = compute.drill_units(province=world["province"], period=MARCH, indicator="5.2", now=AFTER)["units"]
    centre = next(r for r in rows if r["unit"] == world["centre"].code)
    # 1 ÷ 2 = 50 % → 6 × 50 ÷ 100 = 3 points, 3 lost
    assert (centre["rate"], centre["points"], centre["lost"]) == (50.0, 3.0, 3.0)


def test_registration_rules(providers):
    def one(province, start, end, unit=None):
        return None

    def other(province, start, end, unit=None):
        return None

    inputs.register_provider("5.3", one)
    inputs.register_provider("5.3", one)  # the same function again (ready() run twice): no-op
    with pytest.raises(ValueError, match="already has a provider"):
        inputs.register_provider("5.3", other)
    with pytest.raises(ValueError):
        inputs.register_provider("", one)
    with pytest.raises(ValueError, match="≥ 0"):
        inputs._normalise("5.3", (-1, 4))
    with pytest.raises(ValueError, match="expected"):
        inputs._normalise("5.3", "3/4")
    assert inputs._normalise("5.3", {"numerator": None, "denominator": 4}) is None
