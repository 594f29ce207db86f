"""Chỉ tiêu CCHC: one resolution rule (unit → province → national; year before "mọi năm"), audited writes."""

from decimal import Decimal

import pytest

from cchc.accounts.models import Role
from cchc.core.errors import DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.units.models import Target, UnitKind
from cchc.units.targets import TargetBook, target_delete, target_for, target_set

from .factories import make_province, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    prov = make_province("Tỉnh A")
    other = make_province("Tỉnh B")
    commune = make_unit(kind=UnitKind.COMMUNE, parent=prov, name="Xã A1")
    desk = make_unit(kind=UnitKind.ONE_STOP_DESK, parent=commune, name="Một cửa xã A1")
    dept = make_unit(kind=UnitKind.DEPARTMENT, parent=prov, name="Sở A")
    return {
        "prov": prov, "other": other, "commune": commune, "desk": desk, "dept": dept,
        "par": make_user(role=Role.PAR_OFFICE, unit=dept), "other_par": make_user(role=Role.PAR_OFFICE, unit=other),
        "officer": make_user(role=Role.ONE_STOP_OFFICER, unit=desk),
        "admin": make_user(role=Role.SYSTEM_ADMIN, is_superuser=True, is_staff=True),
    }


def test_the_national_default_of_98_percent_is_shipped_with_its_source(tree):
    t = target_for("on_time_rate", tree["desk"], 2026)
    assert (t.value, t.level, t.year) == (98.0, "national", None)
    assert "issue 8" in t.source_document
    assert target_for("on_time_rate", None, 2026).value == 98.0
    assert target_for("online_share", tree["desk"], 2026) is None  # nothing shipped: no flag rather than a guess


def test_unit_then_province_then_national_and_the_exact_year_before_every_year(tree):
    w = tree
    target_set(actor=w["par"], province=w["prov"], metric="on_time_rate", value="95", source_document="KH 1/KH-UBND")
    assert target_for("on_time_rate", w["desk"], 2026).value == 95.0  # province, every year
    target_set(actor=w["par"], province=w["prov"], year=2026, metric="on_time_rate", value="97", source_document="NQ 2/NQ-HĐND")
    assert target_for("on_time_rate", w["desk"], 2026).value == 97.0  # province, that year
    assert target_for("on_time_rate", w["desk"], 2025).value == 95.0
    target_set(actor=w["par"], unit=w["commune"], metric="on_time_rate", value="99", source_document="KH 3")
    t = target_for("on_time_rate", w["desk"], 2026)  # the desk inherits its commune's row
    assert (t.value, t.level) == (99.0, "unit")
    assert target_for("on_time_rate", w["dept"], 2026).value == 97.0
    assert target_for("on_time_rate", w["other"], 2026).value == 98.0  # another province: national default
    book = TargetBook(year=2026, provinces=[w["prov"], w["other"]])
    for unit in (w["desk"], w["commune"], w["dept"], w["prov"], w["other"]):
        assert book.get("on_time_rate", unit) == target_for("on_time_rate", unit, 2026)


@pytest.mark.parametrize(("metric", "target", "value", "missed"), [
    ("on_time_rate", "98", 98.0, False),   # exactly at the target: reached
    ("on_time_rate", "98", 97.99, True),
    ("on_time_rate", "98", None, False),   # no rate: no flag
    ("par_index_rank", "10", 10, False),   # a rank: lower is better, exactly at it is reached
    ("par_index_rank", "10", 11, True),
    ("par_index_rank", "10", 3, False),
])
def test_missing_a_target_is_strictly_below_it_or_for_a_rank_strictly_above(tree, metric, target, value, missed):
    target_set(actor=tree["par"], province=tree["prov"], metric=metric, value=target, source_document="NQ")
    assert target_for(metric, tree["prov"], 2026).missed_by(value) is missed


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"metric": "speed"}, "metric"),
    ({"value": "101"}, "value"),
    ({"value": "-1"}, "value"),
    ({"value": "abc"}, "value"),
    ({"metric": "par_index_rank", "value": "0"}, "value"),
    ({"metric": "par_index_rank", "value": "2.5"}, "value"),
    ({"source_document": "  "}, "source_document"),
    ({"year": 1999}, "year"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(tree, kwargs, field):
    params = {"metric": "on_time_rate", "value": "97", "source_document": "NQ 1"} | kwargs
    before = Target.objects.count()
    with pytest.raises(DomainError) as exc:
        target_set(actor=tree["par"], province=tree["prov"], **params)
    assert exc.value.field == field and exc.value.status_code == 400
    assert Target.objects.count() == before


def test_a_unit_of_another_province_is_refused(tree):
    with pytest.raises(DomainError) as exc:
        target_set(actor=tree["par"], province=tree["prov"], unit=make_unit(parent=tree["other"]), metric="on_time_rate",
                   value="97", source_document="NQ")
    assert exc.value.field == "unit"


def test_only_the_province_sets_its_targets_and_only_administrators_the_national_default(tree):
    w = tree
    with pytest.raises(ForbiddenError):
        target_set(actor=w["other_par"], province=w["prov"], metric="on_time_rate", value="97", source_document="NQ")
    with pytest.raises(ForbiddenError):
        target_set(actor=w["officer"], province=w["prov"], metric="on_time_rate", value="97", source_document="NQ")
    with pytest.raises(ForbiddenError):
        target_set(actor=w["par"], metric="on_time_rate", value="90", source_document="NQ")  # national
    national = Target.objects.get(province=None, metric="on_time_rate")
    with pytest.raises(ForbiddenError):
        target_delete(actor=w["par"], target_id=national.pk)
    target_set(actor=w["admin"], metric="on_time_rate", value="97.5", source_document="Quyết định mới")
    assert Target.objects.filter(province=None, metric="on_time_rate").count() == 1
    assert target_for("on_time_rate", None, 2026).value == 97.5


def test_setting_again_replaces_the_row_and_every_change_is_audited(tree):
    w = tree
    first = target_set(actor=w["par"], province=w["prov"], year=2026, metric="online_share", value="80", source_document="KH 1")
    again = target_set(actor=w["par"], province=w["prov"], year=2026, metric="online_share", value="85,5", source_document="KH 2")
    assert first.pk == again.pk and again.value == Decimal("85.5")
    events = list(AuditEvent.objects.filter(action="units.target_set").order_by("id"))
    assert [(e.from_state, e.to_state) for e in events[-2:]] == [("", "80"), ("80", "85.5")]
    target_delete(actor=w["par"], target_id=again.pk, reason="nhập nhầm")
    assert not Target.objects.filter(pk=again.pk).exists()
    assert AuditEvent.objects.filter(action="units.target_deleted", reason="nhập nhầm").count() == 1


def test_the_targets_page_lists_and_sets_targets_for_the_par_office_only(client, tree):
    w = tree
    client.force_login(w["par"])
    r = client.get("/chi-tieu/")
    assert r.status_code == 200 and "Chỉ tiêu cải cách hành chính" in r.content.decode()
    assert "Toàn quốc (mặc định)" in r.content.decode()
    r = client.post("/chi-tieu/", {"metric": "on_time_rate", "year": "2026", "unit": "", "value": "99",
                                   "source_document": "Nghị quyết 5/NQ-HĐND"})
    assert r.status_code == 302
    assert target_for("on_time_rate", w["dept"], 2026).value == 99.0
    r = client.post("/chi-tieu/", {"metric": "on_time_rate", "value": "150", "source_document": "NQ"})
    assert r.status_code == 400 and "tỷ lệ mục tiêu phải từ 0 đến 100" in r.content.decode()
    client.force_login(w["officer"])
    assert client.get("/chi-tieu/").status_code == 200
    assert client.post("/chi-tieu/", {"metric": "on_time_rate", "value": "1", "source_document": "x"}).status_code == 403
