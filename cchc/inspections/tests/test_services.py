"""Inspection rules at their boundaries: team, dates, on-time completion, closure, permissions, audit."""

import pytest

from cchc.core.audit import AuditEvent
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.inspections import selectors, services, workflow
from cchc.inspections.models import Inspection, InspectionStatus, Recommendation, RecommendationStatus

from .conftest import D

pytestmark = pytest.mark.django_db


def _rec(world, deadline=None, unit=None):
    deadline = deadline or D(2026, 4, 30)
    return services.recommendation_add(inspection=world["insp"], text="Cập nhật niêm yết TTHC", responsible_unit=unit or world["commune"],
                                       deadline=deadline, actor=world["par"])


def test_done_exactly_on_the_deadline_day_is_on_time_and_the_next_day_is_late(world):
    a, b = _rec(world), _rec(world)
    services.follow_up_submit(recommendation=a, text="Đã xong", completes=True, actor=world["spec"], today=D(2026, 4, 30))
    services.follow_up_submit(recommendation=b, text="Đã xong", completes=True, actor=world["spec"], today=D(2026, 5, 1))
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.done_on) == (RecommendationStatus.DONE_ON_TIME, D(2026, 4, 30))
    assert b.status == RecommendationStatus.DONE_LATE


def test_overdue_starts_the_day_after_the_deadline(world):
    rec = _rec(world)
    assert not rec.is_overdue(D(2026, 4, 30))
    assert rec.is_overdue(D(2026, 5, 1))
    assert list(selectors.overdue_recommendations(user=world["par"], as_of=D(2026, 4, 30))) == []
    assert list(selectors.overdue_recommendations(user=world["par"], as_of=D(2026, 5, 1))) == [rec]
    assert selectors.recommendation_status_label(rec, D(2026, 5, 1)) == ("overdue", "Quá hạn")


def test_overdue_list_is_for_the_par_office_and_the_responsible_units_head_only(world):
    rec = _rec(world)
    later = D(2026, 6, 1)
    assert list(selectors.overdue_recommendations(user=world["head"], as_of=later)) == [rec]
    for name in ("head2", "spec", "officer", "outsider", "citizen"):
        assert list(selectors.overdue_recommendations(user=world[name], as_of=later)) == [], name


def test_a_progress_report_that_does_not_complete_leaves_the_recommendation_open(world):
    rec = _rec(world)
    services.follow_up_submit(recommendation=rec, text="Đang thực hiện", actor=world["head"], today=D(2026, 4, 1))
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN and rec.follow_ups.count() == 1


def test_only_the_responsible_units_head_and_specialists_report(world):
    rec = _rec(world)
    for name in ("head2", "spec2", "officer", "par", "outsider"):
        with pytest.raises(ForbiddenError):
            services.follow_up_submit(recommendation=rec, text="x", actor=world[name], today=D(2026, 4, 1))
    assert rec.follow_ups.count() == 0


def test_a_settled_recommendation_takes_no_more_reports(world):
    rec = _rec(world)
    services.follow_up_submit(recommendation=rec, text="Xong", completes=True, actor=world["spec"], today=D(2026, 4, 1))
    with pytest.raises(ConflictError) as exc:
        services.follow_up_submit(recommendation=rec, text="Lại", completes=True, actor=world["spec"], today=D(2026, 4, 2))
    assert exc.value.code == "settled"


def test_closure_is_refused_while_a_recommendation_is_open_and_names_the_rule(world):
    done, still = _rec(world), _rec(world)
    services.follow_up_submit(recommendation=done, text="Xong", completes=True, actor=world["spec"], today=D(2026, 4, 1))
    with pytest.raises(ConflictError) as exc:
        services.inspection_close(inspection=world["insp"], actor=world["par"])
    assert exc.value.code == "open_recommendations" and exc.value.status_code == 409
    assert f"#{still.pk}" in exc.value.message and exc.value.extra == {"open": [still.pk]}
    world["insp"].refresh_from_db()
    assert world["insp"].status == InspectionStatus.CONDUCTED


def test_carry_over_needs_a_reason_and_then_closure_succeeds(world):
    rec = _rec(world)
    with pytest.raises(DomainError) as exc:
        services.inspection_close(inspection=world["insp"], carry_over={rec.pk: "  "}, actor=world["par"])
    assert exc.value.field == "carry_over"
    insp = services.inspection_close(inspection=world["insp"], carry_over={rec.pk: "Chờ kinh phí năm 2027"}, actor=world["par"])
    rec.refresh_from_db()
    assert insp.status == InspectionStatus.CLOSED and rec.status == RecommendationStatus.CARRIED_OVER
    assert rec.carry_over_reason == "Chờ kinh phí năm 2027"
    actions = list(AuditEvent.objects.filter(action__startswith="inspections.").values_list("action", flat=True))
    assert "inspections.recommendation_carried_over" in actions and actions[-1] == "inspections.inspection_closed"


def test_closure_with_no_recommendations_is_allowed_and_closed_is_final(world):
    services.inspection_close(inspection=world["insp"], actor=world["par"])
    with pytest.raises(ConflictError):
        services.inspection_close(inspection=world["insp"], actor=world["par"])
    with pytest.raises(ConflictError):
        services.finding_add(inspection=world["insp"], text="muộn", actor=world["par"])


def test_team_needs_exactly_one_leader_and_two_bodies(world):
    kw = dict(plan=world["plan"], unit=world["commune2"], scope="x", planned_start=D(2026, 5, 1), planned_end=D(2026, 5, 1), actor=world["par"])
    no_leader = [{"name": "A", "unit": world["home_affairs"]}, {"name": "B", "unit": world["justice"]}]
    with pytest.raises(DomainError) as exc:
        services.inspection_create(members=no_leader, **kw)
    assert exc.value.code == "one_leader"
    one_body = [{"name": "A", "unit": world["home_affairs"], "is_leader": True}, {"name": "B", "unit": world["home_affairs"]}]
    with pytest.raises(DomainError) as exc:
        services.inspection_create(members=one_body, **kw)
    assert exc.value.code == "interdisciplinary"
    assert services.inspection_create(members=world["team"], **kw).members.count() == 2


def test_planned_dates_stay_in_the_plan_year_and_in_order(world):
    kw = dict(plan=world["plan"], unit=world["commune2"], scope="x", members=world["team"], actor=world["par"])
    with pytest.raises(DomainError) as exc:
        services.inspection_create(planned_start=D(2026, 5, 2), planned_end=D(2026, 5, 1), **kw)
    assert exc.value.field == "planned_end"
    with pytest.raises(DomainError):
        services.inspection_create(planned_start=D(2026, 12, 31), planned_end=D(2027, 1, 1), **kw)
    assert services.inspection_create(planned_start=D(2026, 12, 31), planned_end=D(2026, 12, 31), **kw)
    with pytest.raises(DomainError) as exc:
        services.inspection_create(planned_start=D(2026, 5, 1), planned_end=D(2026, 5, 1), **{**kw, "unit": world["foreign"]})
    assert exc.value.field == "unit"


def test_only_the_provinces_par_office_writes_plans_and_inspections(world):
    with pytest.raises(ForbiddenError):
        services.plan_create(province=world["province"], year=2027, title="x", actor=world["outsider"])
    with pytest.raises(ForbiddenError):
        services.finding_add(inspection=world["insp"], text="x", actor=world["head"])
    with pytest.raises(ConflictError):
        services.plan_create(province=world["province"], year=2026, title="lặp", actor=world["par"])


def test_conducted_dates_cannot_be_in_the_future(world):
    kw = dict(plan=world["plan"], unit=world["commune2"], scope="x", members=world["team"], actor=world["par"])
    insp = services.inspection_create(planned_start=D(2026, 12, 1), planned_end=D(2026, 12, 2), **kw)
    with pytest.raises(DomainError) as exc:
        services.inspection_record_conducted(inspection=insp, actual_start=D(2026, 12, 5), actual_end=D(2026, 12, 6), actor=world["par"],
                                             today=D(2026, 12, 5))
    assert exc.value.code == "future_date"
    services.inspection_record_conducted(inspection=insp, actual_start=D(2026, 12, 5), actual_end=D(2026, 12, 5), actor=world["par"],
                                         today=D(2026, 12, 5))


def test_a_finding_about_an_official_names_the_conduct_and_is_hidden_from_other_staff(world):
    with pytest.raises(DomainError) as exc:
        services.finding_add(inspection=world["insp"], text="x", official_name="Trần Văn H.", actor=world["par"])
    assert exc.value.field == "conduct"
    with pytest.raises(DomainError) as exc:
        services.finding_add(inspection=world["insp"], text="x", action_taken="reminder", actor=world["par"])
    assert exc.value.field == "official_name"
    f = services.finding_add(inspection=world["insp"], text="Gây phiền hà", official_name="Trần Văn H.", conduct="harassment",
                             actor=world["par"])
    plain = services.finding_add(inspection=world["insp"], text="Niêm yết cũ", actor=world["par"])
    services.finding_record_action(finding=f, action_taken="reprimand", action_note="Quyết định kỷ luật số 12", actor=world["par"])
    f.refresh_from_db()
    assert f.action_taken == "reprimand"
    insp = world["insp"]
    assert set(selectors.findings_visible(world["par"], insp)) == {f, plain}
    assert set(selectors.findings_visible(world["head"], insp)) == {f, plain}
    for name in ("spec", "officer", "leader"):
        assert list(selectors.findings_visible(world[name], insp)) == [plain], name
    event = AuditEvent.objects.filter(action="inspections.finding_added", object_id=str(f.pk)).get()
    assert "Trần" not in str(event.data)


def test_recommendation_deadline_not_before_the_inspection_ended(world):
    with pytest.raises(DomainError) as exc:
        _rec(world, deadline=D(2026, 3, 10))
    assert exc.value.field == "deadline"
    assert _rec(world, deadline=D(2026, 3, 11)).deadline == D(2026, 3, 11)


def test_transition_table_allows_only_the_listed_pairs():
    for current, allowed in workflow.INSPECTION_TRANSITIONS.items():
        for target in InspectionStatus.values:
            if target in allowed:
                workflow.check_inspection(current, target)
            else:
                with pytest.raises(ConflictError):
                    workflow.check_inspection(current, target)
    assert workflow.completion_status(D(2026, 1, 1), D(2026, 1, 1)) == RecommendationStatus.DONE_ON_TIME


def test_plan_done_rate_and_followed_up_rate(world):
    kw = dict(plan=world["plan"], unit=world["commune2"], scope="x", members=world["team"], actor=world["par"])
    services.inspection_create(planned_start=D(2026, 12, 20), planned_end=D(2026, 12, 21), **kw)
    cancelled = services.inspection_create(planned_start=D(2026, 11, 20), planned_end=D(2026, 11, 21), **kw)
    services.inspection_cancel(inspection=cancelled, reason="Sáp nhập đơn vị", actor=world["par"])
    assert selectors.plan_done_rate(province=world["province"], year=2026, as_of=D(2026, 12, 5)) == {"planned": 2, "done": 1, "rate": 50.0}
    assert selectors.plan_done_rate(province=world["province"], year=2025)["rate"] is None
    a, b = _rec(world), _rec(world, deadline=D(2026, 5, 31))
    services.follow_up_submit(recommendation=a, text="Xong", completes=True, actor=world["spec"], today=D(2026, 5, 3))
    r = selectors.recommendations_followed_up(unit_ids=[world["commune"].pk], start=D(2026, 1, 1), end=D(2026, 12, 31), as_of=D(2026, 12, 5))
    assert r == {"due": 2, "done": 1, "done_on_time": 0, "rate": 50.0}
    assert b.status == RecommendationStatus.OPEN


def test_report_section_counts_by_period(world):
    rec = _rec(world)
    services.finding_add(inspection=world["insp"], text="x", official_name="A", conduct="attitude", actor=world["par"])
    section = selectors.report_section(world["province"], D(2026, 1, 1), D(2026, 6, 30))
    figures = {f["key"]: f["value"] for f in section["figures"]}
    assert figures["inspections_planned"] == 1 and figures["inspections_done"] == 1 and figures["units_inspected"] == 1
    assert figures["recommendations_overdue"] == 1 and figures["findings_about_officials"] == 1
    assert all(set(f) == {"key", "label", "value", "unit", "query"} for f in section["figures"])
    assert section["tables"][0]["rows"][0][0] == "Xã Một" and "A" not in str(section["tables"])
    empty = selectors.report_section(world["province"], D(2025, 1, 1), D(2025, 12, 31))
    assert {f["key"]: f["value"] for f in empty["figures"]}["inspection_done_rate"] is None
    services.follow_up_submit(recommendation=rec, text="Xong", completes=True, actor=world["spec"], today=D(2026, 7, 2))
    late = {f["key"]: f["value"] for f in selectors.report_section(world["province"], D(2026, 1, 1), D(2026, 6, 30))["figures"]}
    assert late["recommendations_overdue"] == 1 and late["recommendations_done_late"] == 0
    assert Inspection.objects.count() == 1 and Recommendation.objects.count() == 1


def test_index_metrics_are_registered_and_computed(world):
    from types import SimpleNamespace

    from cchc.indices import metrics

    assert metrics.get("inspection_plan_done_rate") and metrics.get("recommendations_followed_up_rate")
    cycle = SimpleNamespace(year=2026)
    ids = [world["province"].pk, world["commune"].pk, world["commune2"].pk]
    assert metrics.get("inspection_plan_done_rate").fn(cycle, ids) == {world["province"].pk: 100.0}
    rec = _rec(world)
    services.follow_up_submit(recommendation=rec, text="Xong", completes=True, actor=world["spec"], today=D(2026, 4, 30))
    _rec(world, deadline=D(2027, 1, 15))  # due next year: not counted in 2026
    assert metrics.get("recommendations_followed_up_rate").fn(cycle, ids) == {world["province"].pk: 100.0, world["commune"].pk: 100.0}
    assert metrics.get("recommendations_followed_up_rate").fn(SimpleNamespace(year=2025), ids) == {}
