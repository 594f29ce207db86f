"""Publish → intake for every time unit: the due time is the calendar's rule for the published unit."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.catalog.models import Procedure, ProvinceProcedure
from cchc.catalog.services import procedure_publish
from cchc.core.errors import ConflictError, DomainError
from cchc.dossiers import services
from cchc.dossiers.models import Dossier

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def publish_and_receive(world, value, unit, received):
    proc = Procedure.objects.create(code="2.000777", name="Thủ tục thử thời hạn")
    procedure_publish(province=world["province"], procedure=proc, desk=world["centre"], handling_unit=world["dept"],
                      level="province", time_value=value, time_unit=unit, online_level="none",
                      effective_from=date(2020, 1, 1))
    return services.dossier_receive(actor=world["officer"], procedure_code=proc.code, unit_code=world["centre"].code,
                                    applicant=applicant(), received_at=received, now=at(2030, 1, 1))


@pytest.mark.parametrize(("value", "unit", "received", "due"), [
    ("3", "working_days", at(2026, 3, 2), at(2026, 3, 5)),
    ("1.5", "working_days", at(2026, 3, 2), at(2026, 3, 3, 14, 45)),  # Tue 09:00, then 3 h 45 of working time
    ("4", "working_hours", at(2026, 3, 2), at(2026, 3, 2, 15, 0)),  # 2 h 30 to 11:30, 1 h 30 from 13:30
    ("0", "same_day", at(2026, 3, 2), at(2026, 3, 2, 17, 0)),
    ("10", "calendar_days", at(2026, 3, 2), at(2026, 3, 12)),
    ("12", "calendar_days", at(2026, 3, 2), at(2026, 3, 16)),  # Sat 14/03 → Mon 16/03 same clock time
    ("2", "months", at(2026, 3, 2), at(2026, 5, 4, 17, 0)),   # the case (was 04/03/2026)
    ("1", "months", at(2024, 1, 31), at(2024, 2, 29, 17, 0)),  # 31/1 + 1 month, leap year
    ("12", "months", at(2024, 2, 29), at(2025, 2, 28, 17, 0)),  # 29/2 + 12 months
])
def test_publish_then_intake_gives_the_calendar_due_for_every_unit(world, value, unit, received, due):
    d = publish_and_receive(world, value, unit, received)
    assert (d.time_unit, d.due_at, d.original_due_at) == (unit, due, due)
    assert d.due_date == due.date()
    assert d.time_value == Decimal(value)


@pytest.mark.parametrize("unit", ["unknown", "weeks", ""])
def test_publishing_a_unit_the_calendar_cannot_compute_is_refused_naming_the_field(world, unit):
    proc = Procedure.objects.create(code="2.000778", name="Thủ tục thử")
    with pytest.raises(DomainError) as exc:
        procedure_publish(province=world["province"], procedure=proc, level="province", time_value=3, time_unit=unit,
                          online_level="none", effective_from=date(2020, 1, 1))
    assert exc.value.field == "time_unit" and "time_unit" in exc.value.message
    assert not ProvinceProcedure.objects.filter(procedure=proc).exists()


def test_a_fraction_of_a_month_is_refused_at_publication(world):
    proc = Procedure.objects.create(code="2.000779", name="Thủ tục thử")
    with pytest.raises(DomainError) as exc:
        procedure_publish(province=world["province"], procedure=proc, level="province", time_value="1.5", time_unit="months",
                          online_level="none", effective_from=date(2020, 1, 1))
    assert exc.value.field == "time_value"


def test_an_old_publication_with_an_unknown_unit_refuses_intake_instead_of_guessing(world):
    ProvinceProcedure.objects.filter(pk=world["pp"].pk).update(time_unit="unknown")
    with pytest.raises(ConflictError) as exc:
        services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                 unit_code=world["centre"].code, applicant=applicant(), received_at=at(2026, 3, 2),
                                 now=at(2026, 3, 2, 10))
    assert exc.value.field == "time_unit"
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------------------------------------- the demo generator

def _demo_dues(world, pubs, received):
    """The demo generator's due dates for dossiers of `pubs` received at `received` (aware datetimes)."""
    import numpy as np

    from cchc.dossiers import demo

    cal = services.get_calendar(world["province"])
    epochs = np.array([int(r.timestamp()) for r in received], dtype=np.int64)
    offset = int(at(2026, 1, 1).utcoffset().total_seconds())
    units, _values, _counted, due = demo.due_dates(cal, pubs, epochs, has_cutoff=np.zeros(len(pubs), dtype=bool),
                                                   offset=offset)
    return list(units), [datetime.fromtimestamp(int(x), tz=VN) for x in due]


@pytest.mark.parametrize(("value", "unit", "received", "due"), [
    ("3", "working_days", at(2026, 3, 2), at(2026, 3, 5)),
    ("1.5", "working_days", at(2026, 3, 2), at(2026, 3, 3, 14, 45)),
    ("4", "working_hours", at(2026, 3, 2), at(2026, 3, 2, 15, 0)),
    ("0", "same_day", at(2026, 3, 2), at(2026, 3, 2, 17, 0)),
    ("12", "calendar_days", at(2026, 3, 2), at(2026, 3, 16)),
    ("2", "months", at(2026, 3, 2), at(2026, 5, 4, 17, 0)),  # was 04/03/2026: months fell back to working days
    ("1", "months", at(2024, 1, 31), at(2024, 2, 29, 17, 0)),
])
def test_the_demo_generator_uses_the_intake_rule_for_every_unit(world, value, unit, received, due):
    from types import SimpleNamespace

    pub = SimpleNamespace(time_unit=unit, time_value=Decimal(value))
    units, dues = _demo_dues(world, [pub], [received])
    assert (units, dues) == ([unit], [due])
    # the same due as a dossier received at the desk for the same publication
    assert publish_and_receive(world, value, unit, received).due_at == due


@pytest.mark.parametrize("unit", ["unknown", "weeks", ""])
def test_the_demo_generator_refuses_a_unit_the_calendar_cannot_compute(world, unit):
    from types import SimpleNamespace

    good = SimpleNamespace(time_unit="working_days", time_value=Decimal("3"))
    bad = SimpleNamespace(time_unit=unit, time_value=Decimal("3"))
    with pytest.raises(ConflictError) as exc:
        _demo_dues(world, [good, bad], [at(2026, 3, 2), at(2026, 3, 2)])
    assert exc.value.field == "time_unit" and exc.value.code == "invalid_time_unit"
