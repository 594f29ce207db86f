"""Completion (one definition), scope, export, index metrics, report section, reminders (both databases)."""

from datetime import date, datetime
from decimal import Decimal as D
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from cchc.dossiers.models import Notification
from cchc.indices import selectors as index_selectors
from cchc.indices import services as index_services
from cchc.indices.models import CriterionDatum
from cchc.programme import reminders, selectors, services
from cchc.programme.models import PlanTask

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2026, 7, 1)


@pytest.fixture
def w():
    w = f.world()
    plan = services.plan_create(unit=w["prov"], year=2026, actor=w["office"])
    services.plan_issue(plan=plan, actor=w["office"], number="245/KH-UBND", issued_on=date(2025, 12, 25))

    def task(unit, deadline, status="not_started", done=None, kind="regular", responsible=None):
        t = services.task_create(plan=plan, actor=w["office"], content=f"Nhiệm vụ {deadline}", unit=unit, deadline=deadline,
                                 kind=kind, responsible=responsible)
        PlanTask.objects.filter(pk=t.pk).update(status=status, completed_on=done)
        return t

    a, b = w["a"], w["b"]
    task(a, date(2026, 6, 30), "done", date(2026, 6, 30), responsible=w["head_a"])  # on time (deadline day)
    task(a, date(2026, 3, 31), "done", date(2026, 4, 1), kind="press_briefing")    # late by one day
    task(a, date(2026, 6, 30), "in_progress")                                       # overdue as of 1/7
    task(a, date(2026, 7, 1), "in_progress")                                        # due today: not yet counted... as open
    task(a, date(2026, 5, 1), "cancelled")                                          # never counted
    task(b, date(2026, 2, 1), "done", date(2026, 1, 20), kind="business_meeting", responsible=w["head_b"])
    task(b, date(2026, 9, 30), "not_started")                                       # not due yet
    w["plan"] = plan
    return w


def test_completion_counts_at_the_boundaries(w):
    c = selectors.completion(units=[w["a"]], start=date(2026, 1, 1), end=date(2026, 12, 31), today=TODAY)
    # due up to today: 30/6 (on time), 31/3 (late), 30/6 (overdue), 1/7 (due today, open); cancelled excluded
    assert c == {"due": 4, "done_on_time": 1, "done_late": 1, "not_done": 2, "overdue_open": 1, "rate": 25.0}
    assert selectors.completion(units=[w["b"]], start=date(2026, 1, 1), end=date(2026, 12, 31), today=TODAY)["due"] == 1
    empty = selectors.completion(units=[w["b"]], start=date(2026, 3, 1), end=date(2026, 6, 30), today=TODAY)
    assert empty["due"] == 0 and empty["rate"] is None


def test_the_index_metrics_fill_data_driven_criteria(w):
    from cchc.indices.tests import factories as idx

    tree = [{"code": "1", "parent": "", "title": "Chỉ đạo", "max_points": ""},
            {"code": "1.1", "parent": "1", "title": "Hoàn thành nhiệm vụ", "max_points": "2", "method": "data_threshold",
             "rule": {"type": "threshold_linear", "target": 100, "metric": "plan_task_completion_rate"}},
            {"code": "1.2", "parent": "1", "title": "Ban hành kế hoạch", "max_points": "1", "method": "data_threshold",
             "rule": {"type": "threshold_linear", "target": 100, "metric": "plan_issued_on_time"}}]
    unit_plan = services.plan_create(unit=w["b"], year=2026, actor=w["head_b"])
    services.plan_issue(plan=unit_plan, actor=w["head_b"], number="3/KH-SB", issued_on=date(2026, 1, 5))
    cs = index_services.criteria_set_create(code="pg", name="Bộ", year=2026, target_group="department", rows=tree, owner=w["prov"], actor=w["office"])
    cycle = index_services.cycle_open(criteria_set=cs, organiser=w["prov"], year=2026, units=[w["a"], w["b"], idx.unit(parent=w["prov"])],
                                      actor=w["office"])
    cycle = index_services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=w["office"])
    data = {(d.unit_id, d.metric): d.value for d in CriterionDatum.objects.filter(cycle=cycle)}
    rate_a = selectors.completion(units=[w["a"]], start=date(2026, 1, 1), end=date(2026, 12, 31))["rate"]
    assert data[(w["a"].pk, "plan_task_completion_rate")] == D(str(rate_a))
    assert data[(w["b"].pk, "plan_issued_on_time")] == D("0")                 # issued 5/1/2026, deadline 31/12/2025
    assert (w["a"].pk, "plan_issued_on_time") not in data                     # no plan recorded → no figure
    expl = {a.unit_id: a.self_explanation for a in index_selectors.cycle_assessments(cycle) if a.criterion.code == "1.1"}
    assert "tỷ lệ nhiệm vụ kế hoạch CCHC hoàn thành đúng hạn" in expl[w["a"].pk]


def test_scope_of_plans_and_tasks(w):
    other_plan = services.plan_create(unit=w["other"], year=2026, actor=w["other_office"])
    b_plan = services.plan_create(unit=w["b"], year=2026, actor=w["head_b"])
    assert set(selectors.plans_visible(w["head_a"])) == {w["plan"]}             # own province's plan, not B's
    assert set(selectors.plans_visible(w["office"])) == {w["plan"], b_plan}
    assert other_plan not in selectors.plans_visible(w["office"])
    assert not selectors.plans_visible(w["citizen"]).exists()
    mine = selectors.my_unit_tasks(w["head_a"], today=TODAY)
    assert {t.unit_id for t in mine} == {w["a"].pk} and mine[0].verdict == "overdue"


def test_person_export_has_one_row_per_task_per_person(w):
    data = selectors.person_export_xlsx(tasks=selectors.tasks_visible(w["office"]), year=2026, today=TODAY)
    ws = load_workbook(BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Họ và tên" and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {w["head_a"].username, w["head_b"].username}
    assert any(r[11] == "Hoàn thành đúng hạn" and r[8] == "30/06/2026" for r in rows[1:])


def test_report_section_shape_and_figures(w):
    r = selectors.report_section(w["prov"], date(2026, 1, 1), date(2026, 6, 30), today=TODAY)
    figs = {x["key"]: x for x in r["figures"]}
    assert figs["plan_number"]["value"] == "245/KH-UBND" and figs["plan_issued_on"]["value"] == "25/12/2025"
    assert figs["tasks_due"]["value"] == 4 and figs["tasks_done_on_time"]["value"] == 2 and figs["tasks_done_late"]["value"] == 1
    assert figs["communication_activities"]["value"] == 1 and figs["meetings"]["value"] == 1
    assert all(set(x) == {"key", "label", "value", "unit", "query"} and x["query"] for x in r["figures"])
    assert r["tables"][0]["columns"][0] == "Đơn vị" and r["tables"][0]["rows"]


def test_reminders_are_queued_once_per_task_per_day(w, settings):
    settings.PROGRAMME_REMIND_DAYS = 3
    w["head_a"].email = "a@example.vn"
    w["head_a"].save()
    w["head_b"].email = "b@example.vn"
    w["head_b"].save()
    vn = ZoneInfo("Asia/Ho_Chi_Minh")
    now = datetime(2026, 9, 27, 8, 0, tzinfo=vn)                          # B's task due 30/9: exactly 3 days before
    out = reminders.remind(now=now)
    assert out["queued"] >= 1
    again = reminders.remind(now=now.replace(hour=9))
    assert again["queued"] == 0
    n = Notification.objects.filter(recipient="b@example.vn", kind="plan_task_due")
    assert n.count() == 1 and "còn 3 ngày" in n.get().subject
    overdue = Notification.objects.filter(recipient="a@example.vn", kind="plan_task_overdue")
    assert overdue.exists()                                                  # A's unfinished tasks, to its head
    assert reminders.remind(now=datetime(2026, 9, 26, 8, 0, tzinfo=vn))["queued"] >= 0
    assert not Notification.objects.filter(recipient="b@example.vn", dedup_key__contains="2026-09-26").exists()  # 4 days before: none
