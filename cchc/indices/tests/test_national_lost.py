"""National lost points (giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh): lost-point computation, the default
assignment, the permission matrix, the status transitions, overdue boundaries, nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent

from .. import lost_selectors as ls
from .. import lost_services as svc
from .. import lost_workflow as lw
from .. import reference, services
from ..models import LostPointAssignment, LostPointDefault, LostPointExplanation
from . import factories as f
from . import national_world
from .national_world import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return national_world.build()


def _codes(rows):
    return [r["code"] for r in rows]


# ------------------------------------------------------------------------------------ lost points


def test_lost_points_are_max_minus_final_points_and_full_marks_or_no_score_are_not_listed(w):
    rows = ls.national_lost_points(cycle=w["cycle"], today=TODAY)
    assert _codes(rows) == ["2.1", "2.2", "3.1"]  # tree order
    by = {r["code"]: r for r in rows}
    assert (by["2.1"]["max"], by["2.1"]["points"], by["2.1"]["lost"]) == (Decimal("2"), Decimal("1"), Decimal("1"))
    # round 2 (1.25) overrides round 1 (0.75): lost 0.25, not 0.75
    assert (by["2.2"]["points"], by["2.2"]["lost"]) == (Decimal("1.25"), Decimal("0.25"))
    assert by["3.1"]["lost"] == Decimal("1")  # survey points count like any final score
    # 1.1 was cut in round 1 but restored to the maximum in round 2; 1.2 == max: neither listed
    assert "1.1" not in by and "1.2" not in by
    # 3.2 has no score at all: not a lost point to explain, counted apart
    assert "3.2" not in by and ls.missing_scores(cycle=w["cycle"]) == ["3.2"]
    assert all(r["status"] == "unassigned" and r["status_label"] == "Chưa giao" for r in rows)
    assert by["2.1"]["field_code"] == "2" and by["2.1"]["field_title"] == "Cải cách thể chế"


def test_a_point_one_hundredth_below_max_is_lost(w):
    prov, office = w["prov"], w["u"]["par"]
    cs = w["cs"]
    cycle = services.cycle_open(criteria_set=cs, organiser=prov, year=2026, units=[prov], actor=office)
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=office)
    services.assessment_self_assess(cycle=cycle, unit=prov, criterion="1.1", points="1.99", actor=office)
    services.assessment_self_assess(cycle=cycle, unit=prov, criterion="1.2", points="3", actor=office)
    rows = ls.national_lost_points(cycle=cycle, today=TODAY)
    assert {r["code"]: r["lost"] for r in rows if r["code"].startswith("1.")} == {"1.1": Decimal("0.01")}


def test_an_internal_cycle_is_refused_with_the_field_named(w):
    dept_cs = services.criteria_set_create(code="sở-2025", name="Sở", year=2025, target_group="department", rows=f.SMALL_TREE)
    cycle = services.cycle_open(criteria_set=dept_cs, organiser=w["prov"], year=2025, units=[w["d"]["tuphap"]], actor=w["u"]["par"])
    with pytest.raises(DomainError) as e:
        ls.national_lost_points(cycle=cycle)
    assert e.value.field == "cycle" and e.value.code == "not_national_cycle"


def test_assignment_waits_for_published_results(w):
    prov, office = w["prov"], w["u"]["par"]
    cycle = services.cycle_open(criteria_set=w["cs"], organiser=prov, year=2026, units=[prov], actor=office)
    with pytest.raises(ConflictError) as e:
        svc.lost_point_assign(cycle=cycle, criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY, actor=office, today=TODAY)
    assert e.value.code == "wrong_state"
    assert not LostPointAssignment.objects.exists()


# -------------------------------------------------------------------------------- default mapping


def test_assign_by_default_follows_the_field_mapping_with_cooperating_units_and_skips_assigned_rows(w):
    reference.load_lost_point_defaults()
    assert LostPointDefault.objects.filter(province__isnull=True).count() == 8
    office = w["u"]["par"]
    # the office first puts 2.2 on the Inspectorate... no: on Sở Xây dựng by hand, default must not overwrite it
    svc.lost_point_assign(cycle=w["cycle"], criterion="2.2", department=w["d"]["xaydung"], deadline=TODAY, actor=office, today=TODAY)
    out = svc.lost_points_assign_default(cycle=w["cycle"], deadline="2026-06-01", actor=office, today=TODAY)
    assert out == {"assigned": 2, "already": 1, "unresolved": [], "deadline": "2026-06-01"}
    rows = {r["code"]: r for r in ls.national_lost_points(cycle=w["cycle"], today=TODAY)}
    assert rows["2.1"]["department_id"] == w["d"]["tuphap"].pk
    assert rows["2.2"]["department_id"] == w["d"]["xaydung"].pk  # adjusted by hand, kept
    assert rows["3.1"]["department_id"] == w["d"]["vpubnd"].pk  # field 3 → Văn phòng UBND, with the service centre
    assert rows["3.1"]["cooperating"] == ["Trung tâm Phục vụ hành chính công"]
    assert AuditEvent.objects.filter(action="indices.lost_point.assign_default").count() == 1
    assert AuditEvent.objects.filter(action="indices.lost_point.assign").count() == 3


def test_a_province_row_wins_over_the_platform_row_and_longest_prefix_wins(w):
    reference.load_lost_point_defaults()
    office = w["u"]["par"]
    svc.lost_point_defaults_set(province=w["prov"], actor=office, rows=[
        {"criterion_prefix": "2", "department_kind": "thanh_tra"},  # no Thanh tra in this registry: falls back
        {"criterion_prefix": "2.2", "department": w["d"]["xaydung"]},
        {"criterion_prefix": "3", "department": w["d"]["ttpvhcc"]},
    ])
    def crit(code):
        return w["cs"].criteria.get(code=code)
    assert ls.default_for(w["prov"], crit("2.2"))[0] == w["d"]["xaydung"]
    assert ls.default_for(w["prov"], crit("3.1"))[0] == w["d"]["ttpvhcc"]
    # 2.1: the province's row names a kind the registry lacks → the criterion's own "Sở Tư pháp"
    dept, _coop, how = ls.default_for(w["prov"], crit("2.1"))
    assert dept == w["d"]["tuphap"] and how == "cơ quan phụ trách của tiêu chí"


def test_without_any_mapping_a_sub_criterion_with_no_known_department_is_reported_unresolved(w):
    out = svc.lost_points_assign_default(cycle=w["cycle"], deadline=TODAY, actor=w["u"]["par"], today=TODAY)
    # 3.1 has no responsible text and no mapping row
    assert out["unresolved"] == ["3.1"] and out["assigned"] == 2


def test_a_bad_mapping_row_writes_nothing(w):
    office = w["u"]["par"]
    with pytest.raises(DomainError) as e:
        svc.lost_point_defaults_set(province=w["prov"], actor=office, rows=[
            {"criterion_prefix": "2", "department_kind": "tu_phap"}, {"criterion_prefix": "x.1", "department_kind": "tu_phap"}])
    assert e.value.field == "criterion_prefix" and e.value.extra["row"] == 2
    with pytest.raises(DomainError) as e:
        svc.lost_point_defaults_set(province=w["prov"], actor=office, rows=[{"criterion_prefix": "2", "department": w["commune"]}])
    assert e.value.field == "department"
    assert not LostPointDefault.objects.filter(province=w["prov"]).exists()


# ------------------------------------------------------------------------------ permission matrix


def _assigned(w, code="2.1", dept="tuphap", deadline=dt.date(2026, 5, 20)):
    return svc.lost_point_assign(cycle=w["cycle"], criterion=code, department=w["d"][dept], deadline=deadline, actor=w["u"]["par"], today=TODAY)


@pytest.mark.parametrize("who,allowed", [
    ("par", True), ("leader", False), ("tuphap_head", False), ("noivu_head", False), ("commune_head", False),
])
def test_only_the_par_office_assigns(w, who, allowed):
    def call():
        return svc.lost_point_assign(cycle=w["cycle"], criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY,
                                             actor=w["u"][who], today=TODAY)
    if allowed:
        assert call().status == "assigned"
    else:
        with pytest.raises(ForbiddenError) as e:
            call()
        assert e.value.code == "not_writer" and "cơ quan thường trực CCHC" in e.value.message
        assert not LostPointAssignment.objects.exists()


def test_the_par_office_of_another_province_cannot_assign(w):
    other = national_world.build(name="Tỉnh Khác", code="TK")
    with pytest.raises(ForbiddenError):
        svc.lost_point_assign(cycle=w["cycle"], criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY, actor=other["u"]["par"], today=TODAY)


@pytest.mark.parametrize("who,allowed", [
    ("tuphap_head", True), ("tuphap_staff", True), ("tuphap_desk", False), ("par", False), ("leader", False),
    ("vp_head", False), ("xaydung_head", False), ("noivu_head", False),
])
def test_only_the_department_in_charge_explains(w, who, allowed):
    a = _assigned(w)
    a.cooperating.set([w["d"]["vpubnd"]])  # a cooperating unit reads, it does not explain
    def call():
        return svc.lost_point_explain(assignment=a, cause="Chậm ban hành", remedy="Lập lịch ban hành", actor=w["u"][who], today=TODAY)
    if allowed:
        assert call().lost == Decimal("1")
    else:
        with pytest.raises(ForbiddenError) as e:
            call()
        assert e.value.code == "not_writer" and "Sở Tư pháp" in e.value.message
        assert not LostPointExplanation.objects.exists()
        assert LostPointAssignment.objects.get(pk=a.pk).status == "assigned"


def test_the_par_office_explains_the_fields_of_its_own_department(w):
    a = _assigned(w, code="2.1", dept="noivu")
    svc.lost_point_explain(assignment=a, cause="c", remedy="r", actor=w["u"]["par"], today=TODAY)
    assert LostPointAssignment.objects.get(pk=a.pk).status == "explained"


@pytest.mark.parametrize("who,allowed", [("par", True), ("leader", False), ("tuphap_head", False)])
def test_only_the_par_office_accepts(w, who, allowed):
    a = _assigned(w)
    svc.lost_point_explain(assignment=a, cause="c", remedy="r", actor=w["u"]["tuphap_head"], today=TODAY)
    def call():
        return svc.lost_point_review(assignment=a, decision="accept", actor=w["u"][who], today=TODAY)
    if allowed:
        assert call().status == "accepted"
    else:
        with pytest.raises(ForbiddenError):
            call()
        assert LostPointAssignment.objects.get(pk=a.pk).status == "explained"


def test_reading_is_scoped_leaders_see_all_a_department_its_own_and_cooperations(w):
    _assigned(w, "2.1", "tuphap")
    a = _assigned(w, "3.1", "vpubnd")
    a.cooperating.set([w["d"]["tuphap"]])
    cycle = w["cycle"]
    assert _codes(ls.national_lost_points(cycle=cycle, user=w["u"]["leader"], today=TODAY)) == ["2.1", "2.2", "3.1"]
    assert _codes(ls.national_lost_points(cycle=cycle, user=w["u"]["tuphap_staff"], today=TODAY)) == ["2.1", "3.1"]
    assert _codes(ls.national_lost_points(cycle=cycle, user=w["u"]["xaydung_head"], today=TODAY)) == []
    mine = ls.worklist(user=w["u"]["tuphap_head"], today=TODAY)
    assert [(r["code"], r["role"]) for r in mine] == [("2.1", "chủ trì"), ("3.1", "phối hợp")]
    other = national_world.build(name="Tỉnh Khác", code="TK")
    assert ls.national_lost_points(cycle=cycle, user=other["u"]["par"], today=TODAY) == []
    with pytest.raises(DomainError):
        ls.assignment_get(pk=a.pk, user=other["u"]["par"])
    with pytest.raises(DomainError):
        ls.assignment_get(pk=a.pk, user=w["u"]["xaydung_head"])
    assert ls.assignment_get(pk=a.pk, user=w["u"]["tuphap_staff"]).pk == a.pk


# ---------------------------------------------------------------------------------- transitions


def test_the_transition_table_pair_by_pair():
    allowed = {(a, b) for a, bs in lw.ALLOWED_TRANSITIONS.items() for b in bs}
    assert allowed == {
        ("unassigned", "assigned"), ("assigned", "assigned"), ("assigned", "explained"), ("more_requested", "assigned"),
        ("more_requested", "explained"), ("explained", "explained"), ("explained", "accepted"), ("explained", "more_requested"),
    }
    for a in lw.STATES:
        for b in lw.STATES:
            assert lw.can_transition(a, b) == ((a, b) in allowed)


def test_full_cycle_explain_request_more_explain_again_accept_keeps_history_and_audits(w):
    par, head = w["u"]["par"], w["u"]["tuphap_head"]
    a = _assigned(w)
    with pytest.raises(ConflictError):  # nothing to accept yet
        svc.lost_point_review(assignment=a, decision="accept", actor=par, today=TODAY)
    svc.lost_point_explain(assignment=a, cause="Văn bản ban hành chậm 10 ngày", remedy="Lập kế hoạch xây dựng văn bản từ quý I", actor=head, today=TODAY)
    with pytest.raises(ConflictError):  # explained: review it, do not re-assign
        svc.lost_point_assign(cycle=w["cycle"], criterion="2.1", department=w["d"]["xaydung"], deadline=TODAY, actor=par, today=TODAY)
    with pytest.raises(DomainError) as e:
        svc.lost_point_review(assignment=a, decision="request_more", note="  ", actor=par, today=TODAY)
    assert e.value.field == "note"
    svc.lost_point_review(assignment=a, decision="request_more", note="Nêu rõ văn bản nào chậm", actor=par, today=TODAY)
    assert LostPointAssignment.objects.get(pk=a.pk).status == "more_requested"
    svc.lost_point_explain(assignment=a, cause="Quyết định 12/2025 chậm 10 ngày", remedy="Giao phòng chuyên môn theo dõi hằng tháng", actor=head, today=TODAY)
    a = svc.lost_point_review(assignment=a, decision="accept", note="Đồng ý", actor=par, today=TODAY)
    assert a.status == "accepted" and a.version == 5
    assert LostPointExplanation.objects.filter(assignment=a).count() == 2
    row = ls.assignment_row(a, today=TODAY)
    assert row["cause"].startswith("Quyết định 12/2025") and row["status_label"] == "Đã chấp nhận"
    with pytest.raises(ConflictError):  # closed
        svc.lost_point_explain(assignment=a, cause="c", remedy="r", actor=head, today=TODAY)
    actions = list(AuditEvent.objects.filter(action__startswith="indices.lost_point.").order_by("id").values_list("action", "from_state", "to_state"))
    assert actions == [
        ("indices.lost_point.assign", "unassigned", "assigned"), ("indices.lost_point.explain", "assigned", "explained"),
        ("indices.lost_point.request_more", "explained", "more_requested"), ("indices.lost_point.explain", "more_requested", "explained"),
        ("indices.lost_point.accept", "explained", "accepted"),
    ]


def test_a_stale_version_is_refused(w):
    a = _assigned(w)
    with pytest.raises(ConflictError) as e:
        svc.lost_point_explain(assignment=a, cause="c", remedy="r", actor=w["u"]["tuphap_head"], expected_version=a.version + 1, today=TODAY)
    assert e.value.code == "stale_version"


@pytest.mark.parametrize("cause,remedy,field", [("", "r", "cause"), ("c", "   ", "remedy"), ("c" * 4001, "r", "cause")])
def test_bad_explanations_name_the_field_and_write_nothing(w, cause, remedy, field):
    a = _assigned(w)
    with pytest.raises(DomainError) as e:
        svc.lost_point_explain(assignment=a, cause=cause, remedy=remedy, actor=w["u"]["tuphap_head"], today=TODAY)
    assert e.value.field == field and e.value.status_code == 400
    assert not LostPointExplanation.objects.exists() and LostPointAssignment.objects.get(pk=a.pk).status == "assigned"


def test_assign_refuses_bad_input_with_the_field(w):
    par = w["u"]["par"]
    cases = [
        (dict(criterion="1.2", department=w["d"]["tuphap"], deadline=TODAY), "criterion", "not_lost"),  # full marks
        (dict(criterion="3.2", department=w["d"]["tuphap"], deadline=TODAY), "criterion", "not_lost"),  # no score
        (dict(criterion="2", department=w["d"]["tuphap"], deadline=TODAY), "criterion", "not_leaf"),
        (dict(criterion="9.9", department=w["d"]["tuphap"], deadline=TODAY), "criterion", "unknown_criterion"),
        (dict(criterion="2.1", department=w["commune"], deadline=TODAY), "department", "invalid_unit"),
        (dict(criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY - dt.timedelta(days=1)), "deadline", "deadline_past"),
        (dict(criterion="2.1", department=w["d"]["tuphap"], deadline="04/05/2026"), "deadline", "invalid"),
        (dict(criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY + dt.timedelta(days=367)), "deadline", "deadline_too_far"),
        (dict(criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY, cooperating=[w["commune"]]), "cooperating", "invalid_unit"),
    ]
    for kwargs, field, code in cases:
        with pytest.raises(DomainError) as e:
            svc.lost_point_assign(cycle=w["cycle"], actor=par, today=TODAY, **kwargs)
        assert (e.value.field, e.value.code) == (field, code), kwargs
    # the boundaries that pass: today itself, and exactly 366 days ahead
    assert svc.lost_point_assign(cycle=w["cycle"], criterion="2.1", department=w["d"]["tuphap"], deadline=TODAY, actor=par, today=TODAY)
    assert svc.lost_point_assign(cycle=w["cycle"], criterion="2.2", department=w["d"]["tuphap"], deadline=TODAY + dt.timedelta(days=366),
                                 actor=par, today=TODAY)
    assert AuditEvent.objects.filter(action="indices.lost_point.assign").count() == 2


def test_asking_for_more_after_the_deadline_needs_a_new_deadline(w):
    a = _assigned(w, deadline=TODAY)
    svc.lost_point_explain(assignment=a, cause="c", remedy="r", actor=w["u"]["tuphap_head"], today=TODAY)
    later = TODAY + dt.timedelta(days=3)
    with pytest.raises(DomainError) as e:
        svc.lost_point_review(assignment=a, decision="request_more", note="Bổ sung số liệu", actor=w["u"]["par"], today=later)
    assert e.value.field == "deadline"
    a = svc.lost_point_review(assignment=a, decision="request_more", note="Bổ sung số liệu", deadline=later + dt.timedelta(days=7),
                              actor=w["u"]["par"], today=later)
    assert a.deadline == later + dt.timedelta(days=7) and a.review_note == "Bổ sung số liệu"


# ------------------------------------------------------------------------------------------ overdue


def test_overdue_boundaries():
    d = dt.date(2026, 5, 20)
    assert not lw.is_overdue("assigned", d, d)  # the deadline day itself is on time
    assert lw.is_overdue("assigned", d, d + dt.timedelta(days=1))
    assert lw.is_overdue("more_requested", d, d + dt.timedelta(days=1))
    assert not lw.is_overdue("explained", d, d + dt.timedelta(days=30))
    assert not lw.is_overdue("accepted", d, d + dt.timedelta(days=30))
    assert not lw.is_overdue("unassigned", None, d)


def test_the_status_filter_and_counts(w):
    _assigned(w, "2.1", deadline=TODAY)
    b = _assigned(w, "2.2", deadline=TODAY)
    svc.lost_point_explain(assignment=b, cause="c", remedy="r", actor=w["u"]["tuphap_head"], today=TODAY)
    later = TODAY + dt.timedelta(days=1)
    rows = ls.national_lost_points(cycle=w["cycle"], today=later)
    s = ls.summary(rows)
    assert s["rows"] == 3 and s["lost"] == Decimal("2.25") and s["overdue"] == 1
    assert {x["status"]: x["count"] for x in s["by_status"]} == {"unassigned": 1, "assigned": 1, "explained": 1, "more_requested": 0, "accepted": 0}
    assert _codes(ls.national_lost_points(cycle=w["cycle"], today=later, status="overdue")) == ["2.1"]
    assert _codes(ls.national_lost_points(cycle=w["cycle"], today=TODAY, status="overdue")) == []
    assert _codes(ls.national_lost_points(cycle=w["cycle"], today=later, department=w["d"]["tuphap"])) == ["2.1", "2.2"]
    with pytest.raises(DomainError) as e:
        ls.national_lost_points(cycle=w["cycle"], status="xyz")
    assert e.value.field == "status"
    assert [g["code"] for g in ls.by_field(rows)] == ["2", "3"]
