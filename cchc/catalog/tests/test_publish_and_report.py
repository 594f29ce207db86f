"""Publishing a procedure in a province (versions by date) and the simplification report."""

import datetime as dt

import pytest

from cchc.catalog.models import EventKind, Procedure, ProvinceProcedure
from cchc.catalog.selectors import published_procedure_on, simplification_report
from cchc.catalog.services import procedure_event_ensure, procedure_publish
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def birth(catalog_slice):
    return Procedure.objects.get(code="1.001193")


def publish(province, procedure, **kwargs):
    params = dict(
        desk=None, handling_unit=None, level="commune", time_value=3, time_unit="working_days",
        online_level="partial", fee_amount=0, decision_no="100/QĐ-UBND", effective_from=D(2025, 7, 1), actor=None,
    )
    params.update(kwargs)
    return procedure_publish(province=province, procedure=procedure, **params)


def test_a_new_version_closes_the_previous_one_the_day_before(province, birth):
    first = publish(province, birth)
    second = publish(province, birth, time_value=1, online_level="full", decision_no="200/QĐ-UBND",
                     effective_from=D(2026, 1, 1))
    first.refresh_from_db()
    assert first.effective_to == D(2025, 12, 31)
    assert second.effective_to is None
    assert AuditEvent.objects.filter(action="catalog.publish").count() == 2


@pytest.mark.parametrize(("on", "expected_decision"), [
    (D(2025, 6, 30), None), (D(2025, 7, 1), "100/QĐ-UBND"), (D(2025, 12, 31), "100/QĐ-UBND"),
    (D(2026, 1, 1), "200/QĐ-UBND"), (D(2030, 1, 1), "200/QĐ-UBND"),
])
def test_the_version_that_applied_on_a_date_is_returned(province, birth, on, expected_decision):
    publish(province, birth)
    publish(province, birth, time_value=1, decision_no="200/QĐ-UBND", effective_from=D(2026, 1, 1))
    found = published_procedure_on(province=province, procedure_code="1.001193", on_date=on)
    assert (found.decision_no if found else None) == expected_decision
    by_code = published_procedure_on(province=province.code, procedure_code="1.001193", on_date=on, level="commune")
    assert by_code == found
    assert published_procedure_on(province=province, procedure_code="1.001193", on_date=on, level="province") is None


def test_an_iso_date_text_is_accepted_as_effective_date(province, birth):
    assert publish(province, birth, effective_from="2025-07-01").effective_from == D(2025, 7, 1)


def test_a_version_not_newer_than_the_last_is_refused(province, birth):
    publish(province, birth, effective_from=D(2026, 1, 1))
    for day in (D(2026, 1, 1), D(2025, 1, 1)):
        with pytest.raises(ConflictError):
            publish(province, birth, effective_from=day)
    assert ProvinceProcedure.objects.count() == 1


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"level": "district"}, "level"),
    ({"time_unit": "fortnights"}, "time_unit"),
    ({"time_unit": "unknown"}, "time_unit"),
    ({"online_level": "level4"}, "online_level"),
    ({"time_value": -1}, "time_value"),
    ({"time_value": "abc"}, "time_value"),
    ({"time_value": 0}, "time_value"),
    ({"fee_amount": -5}, "fee_amount"),
    ({"effective_from": "01/07/2025"}, "effective_from"),
    ({"effective_from": None}, "effective_from"),
])
def test_bad_publication_input_names_the_field_and_writes_nothing(province, birth, kwargs, field):
    with pytest.raises(DomainError) as err:
        publish(province, birth, **kwargs)
    assert err.value.field == field
    assert not ProvinceProcedure.objects.exists()


def test_a_desk_of_another_province_is_refused(province, birth):
    from cchc.units.models import Unit, UnitKind

    other = Unit.objects.create(code="T98", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    desk = Unit.objects.create(code="T98-D", name="Bộ phận một cửa", kind=UnitKind.ONE_STOP_DESK, parent=other)
    with pytest.raises(DomainError) as err:
        publish(province, birth, desk=desk)
    assert err.value.field == "desk"
    publish(province, birth, desk=province.centre, level="province")


def test_only_users_who_manage_the_province_may_publish(province, birth):
    from cchc.accounts.models import Role, User

    officer = User.objects.create_user("officer", password="x" * 10, role=Role.ONE_STOP_OFFICER, unit=province)
    with pytest.raises(ForbiddenError):
        publish(province, birth, actor=officer)
    par = User.objects.create_user("par", password="x" * 10, role=Role.PAR_OFFICE, unit=province)
    assert publish(province, birth, actor=par).pk


def test_simplification_report_counts_in_force_simplified_and_period_events(province, catalog_slice):
    procs = list(Procedure.objects.order_by("code")[:8])
    for p in procs:
        publish(province, p)
    publish(province, procs[0], effective_from=D(2027, 1, 1))  # later version: still one procedure
    for p in procs[:3]:
        procedure_event_ensure(procedure=p, province=province, kind=EventKind.SIMPLIFIED,
                               decision_no="5/QĐ-UBND", decision_date=D(2025, 8, 1))
    procedure_event_ensure(procedure=procs[3], province=province, kind=EventKind.TIME_CUT,
                           decision_no="6/QĐ-UBND", decision_date=D(2026, 3, 1))
    procedure_event_ensure(procedure=procs[4], province=province, kind=EventKind.NEW,
                           decision_no="7/QĐ-UBND", decision_date=D(2026, 3, 1))
    procedure_event_ensure(procedure=procs[4], province=province, kind=EventKind.TIME_CUT,
                           decision_no="7/QĐ-UBND", decision_date=D(2026, 3, 1))
    procedure_event_ensure(procedure=procs[5], province=province, kind=EventKind.AMENDED,
                           decision_no="8/QĐ-UBND", decision_date=D(2024, 3, 1))
    procedure_event_ensure(procedure=procs[6], province=province, kind=EventKind.ABOLISHED,
                           decision_no="9/QĐ-UBND", decision_date=D(2026, 4, 1))
    report = simplification_report(province=province, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))
    assert report["in_force"] == 8
    assert report["simplified"] == 5
    assert report["simplified_pct"] == 62.5
    assert (report["new"], report["amended"], report["abolished"], report["time_cut"]) == (1, 0, 1, 2)
    assert report["new_or_amended"] == 1 and report["time_cut_of_new_or_amended"] == 1
    early = simplification_report(province=province, date_from=D(2024, 1, 1), date_to=D(2024, 12, 31))
    assert (early["in_force"], early["simplified"], early["amended"], early["simplified_pct"]) == (0, 0, 1, 0.0)


def test_recording_the_same_event_twice_keeps_one_row(province, birth):
    a = procedure_event_ensure(procedure=birth, province=province, kind=EventKind.SIMPLIFIED,
                               decision_no="1/QĐ", decision_date=D(2026, 1, 2))
    b = procedure_event_ensure(procedure=birth, province=province, kind=EventKind.SIMPLIFIED,
                               decision_no="1/QĐ", decision_date=D(2026, 1, 2))
    assert a.pk == b.pk


def test_report_period_must_be_in_order(province):
    with pytest.raises(DomainError):
        simplification_report(province=province, date_from=D(2026, 2, 1), date_to=D(2026, 1, 1))


def test_demo_publishes_the_province_and_commune_procedures_once(province, catalog_slice):
    from cchc.catalog import demo

    ctx = {"province": province}
    demo.build(ctx)
    count = ProvinceProcedure.objects.filter(province=province).count()
    assert count > 50
    assert ProvinceProcedure.objects.filter(level="province", desk=province.centre).exists()
    demo.build(ctx)
    assert ProvinceProcedure.objects.filter(province=province).count() == count
    report = simplification_report(province=province, date_from=D(2025, 1, 1), date_to=D(2026, 12, 31))
    assert 0 < report["simplified"] <= report["in_force"]


@pytest.mark.parametrize(("fee", "ok"), [(0, True), (1, False), (999, False), (1000, True), (50000, True)])
def test_a_published_fee_is_zero_or_at_least_1000_dong(province, birth, fee, ok):
    if ok:
        assert publish(province, birth, fee_amount=fee).fee_amount == fee
    else:
        with pytest.raises(DomainError) as exc:
            publish(province, birth, fee_amount=fee)
        assert exc.value.field == "fee_amount" and exc.value.code == "implausible_fee"
        assert not ProvinceProcedure.objects.exists()
