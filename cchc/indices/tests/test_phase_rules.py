"""Who may write what in each phase (roles × phases × actions), confirmation with counts before a phase
change, and a failing statistics read that must not abort the transition's transaction (both databases)."""

from decimal import Decimal as D

import pytest
from django.db import connection, transaction

from cchc.accounts.models import Role
from cchc.core.errors import ConflictError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.indices import selectors, services, workflow
from cchc.indices.models import Assessment, AssessmentCycle, CriterionDatum
from cchc.units.models import UnitKind

from . import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["own_head", "own_specialist", "other_head", "par_office", "other_province_par", "province_leader", "system_admin"]
ACTIONS = ["self_assess", "evidence", "appraise", "explain"]


@pytest.fixture
def world():
    prov = f.province()
    a = f.unit(parent=prov, name="Sở Alpha")
    b = f.unit(parent=prov, name="Sở Beta")
    office = f.par_office(prov)
    other_prov = f.province(name="Tỉnh Khác")
    cs = services.criteria_set_create(code="phase-set", name="Bộ thử bước", year=2025, target_group="department",
                                      rows=f.SMALL_TREE, owner=prov, actor=office)
    users = {
        "own_head": f.unit_head(a), "own_specialist": f.user(Role.SPECIALIST, a), "other_head": f.unit_head(b),
        "par_office": office, "other_province_par": f.par_office(other_prov), "province_leader": f.user(Role.PROVINCE_LEADER, prov),
        "system_admin": f.user(Role.SYSTEM_ADMIN, None),
    }
    return {"prov": prov, "a": a, "b": b, "office": office, "cs": cs, "users": users}


def _cycle_in(w, state):
    cycle = services.cycle_open(criteria_set=w["cs"], organiser=w["prov"], year=2025, units=[w["a"], w["b"]], actor=w["office"])
    order = workflow.STATES
    while cycle.state != state:
        cycle = services.cycle_transition(cycle=cycle, to_state=order[order.index(cycle.state) + 1], actor=w["office"], confirm=True)
    return cycle


def _attempt(w, cycle, action, actor):
    """'ok', 'forbidden' (403) or 'conflict' (409) — inside a savepoint that is rolled back."""
    unit = w["a"]
    try:
        with transaction.atomic():
            if action == "self_assess":
                services.assessment_self_assess(cycle=cycle, unit=unit, criterion="1.1", points="3", actor=actor)
            elif action == "evidence":
                a, _ = Assessment.objects.get_or_create(cycle=cycle, unit=unit, criterion=cycle.criteria_set.criteria.get(code="1.1"))
                services.evidence_add(assessment=a, title="Kế hoạch 01/KH", actor=actor)
            elif action == "appraise":
                services.assessment_appraise(cycle=cycle, unit=unit, criterion="1.1", points="3", reason="thử", actor=actor)
            else:
                services.assessment_explain(cycle=cycle, unit=unit, criterion="1.1", explanation="Giải trình thử", actor=actor)
            transaction.set_rollback(True)
        return "ok"
    except ForbiddenError as exc:
        assert exc.status_code == 403 and exc.code == "not_writer"
        assert workflow.rule_text(action) in exc.message and "Sở Alpha" in exc.message  # names the rule and the unit
        return "forbidden"
    except ConflictError as exc:
        assert exc.status_code == 409
        return "conflict"


EXPECTED_WRITER = {"self_assess": "own_head", "evidence": "own_head", "explain": "own_head", "appraise": "par_office"}


@pytest.mark.parametrize("state", workflow.STATES)
def test_each_phase_lets_only_its_writer_write_and_only_its_own_actions(world, state):
    cycle = _cycle_in(world, state)
    got, expected = {}, {}
    for action in ACTIONS:
        for role in ROLES:
            got[(action, role)] = _attempt(world, cycle, action, world["users"][role])
            if not workflow.allowed_in(action, state):
                expected[(action, role)] = "conflict"  # wrong phase (and nothing at all once published)
            else:
                expected[(action, role)] = "ok" if role == EXPECTED_WRITER[action] else "forbidden"
    assert got == expected


def test_the_table_allows_one_phase_per_action_and_nothing_when_published():
    for action in ACTIONS:
        assert not workflow.allowed_in(action, workflow.PUBLISHED)
        assert not workflow.allowed_in(action, workflow.DRAFT)
    assert [s for s in workflow.STATES if workflow.allowed_in("appraise", s)] == [workflow.APPRAISAL_1, workflow.APPRAISAL_2]
    assert [s for s in workflow.STATES if workflow.allowed_in("explain", s)] == [workflow.EXPLANATION]


def test_only_the_units_own_head_writes_not_its_desk_nor_a_department_for_the_province(world):
    commune = f.unit(kind=UnitKind.COMMUNE, parent=world["prov"], name="Xã Một")
    desk = f.unit(kind=UnitKind.ONE_STOP_DESK, parent=commune, name="Bộ phận một cửa xã Một")
    cycle = services.cycle_open(criteria_set=world["cs"], organiser=world["prov"], year=2025, units=[commune, world["prov"]], actor=world["office"])
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=world["office"])
    with pytest.raises(ForbiddenError):  # a unit below the assessed one is not its own staff
        services.assessment_self_assess(cycle=cycle, unit=commune, criterion="1.1", points="2", actor=f.unit_head(desk))
    services.assessment_self_assess(cycle=cycle, unit=commune, criterion="1.1", points="2", actor=f.unit_head(commune))
    # the province assessed in the national index writes through its PAR office, not through any department head
    services.assessment_self_assess(cycle=cycle, unit=world["prov"], criterion="1.1", points="2", actor=world["office"])
    with pytest.raises(ForbiddenError):
        services.assessment_self_assess(cycle=cycle, unit=world["prov"], criterion="1.1", points="2", actor=world["users"]["other_head"])


def test_the_api_answers_403_with_the_rule_in_vietnamese(world, api_client):
    cycle = _cycle_in(world, "self_assessment")
    api_client.force_authenticate(user=world["office"])
    r = api_client.post(f"/api/v1/indices/cycles/{cycle.pk}/self-assess/", {"unit": world["a"].code, "criterion": "1.1", "points": "4"},
                        format="json")
    assert r.status_code == 403
    assert r.json()["code"] == "not_writer" and "chỉ cán bộ của chính đơn vị được đánh giá" in r.json()["detail"]
    assert not Assessment.objects.filter(cycle=cycle, self_points__isnull=False).exists()


def test_the_sheet_page_offers_no_form_and_refuses_a_forged_post_for_another_units_scores(world, client):
    cycle = _cycle_in(world, "self_assessment")
    client.force_login(world["office"])
    page = client.get(f"/chi-so/ky/{cycle.pk}/don-vi/{world['a'].pk}/").content.decode()
    assert 'name="action" value="self"' not in page
    client.post(f"/chi-so/ky/{cycle.pk}/don-vi/{world['a'].pk}/1.1/", {"action": "self", "points": "4"})
    assert not Assessment.objects.filter(cycle=cycle, self_points__isnull=False).exists()


# ------------------------------------------------------------------------------- confirmation with counts


def _self_assess_all(cycle, unit, head):
    for code in ("1.1", "1.2"):  # the self-assessed leaves of SMALL_TREE (2.1 is data-driven, 2.2 survey)
        services.assessment_self_assess(cycle=cycle, unit=unit, criterion=code, points="1", actor=head)


def test_leaving_self_assessment_with_units_unfinished_needs_confirmation_with_counts_and_names(world):
    cycle = _cycle_in(world, "self_assessment")
    _self_assess_all(cycle, world["a"], world["users"]["own_head"])
    services.assessment_self_assess(cycle=cycle, unit=world["b"], criterion="1.1", points="1", actor=world["users"]["other_head"])
    with pytest.raises(ConflictError) as info:
        services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=world["office"])
    assert info.value.code == "confirmation_required"
    assert info.value.message == "1/2 đơn vị đã nộp tự đánh giá; 1 chưa nộp: Sở Beta. Vẫn chuyển?"
    assert info.value.extra == {"done": 1, "total": 2, "not_done": ["Sở Beta"]}
    assert AssessmentCycle.objects.get(pk=cycle.pk).state == "self_assessment"  # nothing written
    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=world["office"], confirm=True)
    event = AuditEvent.objects.filter(action="indices.cycle.transition", to_state="appraisal_1").get()
    assert event.data["progress"] == {"done": 1, "total": 2, "not_done": ["Sở Beta"]} and event.data["confirmed"] is True


def test_when_every_unit_has_finished_exactly_no_confirmation_is_asked(world):
    cycle = _cycle_in(world, "self_assessment")
    _self_assess_all(cycle, world["a"], world["users"]["own_head"])
    _self_assess_all(cycle, world["b"], world["users"]["other_head"])
    progress = selectors.phase_progress(cycle)
    assert (progress["done_count"], progress["total"], progress["message"]) == (2, 2, "")
    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=world["office"])
    assert cycle.state == "appraisal_1"
    assert AuditEvent.objects.filter(action="indices.cycle.transition", to_state="appraisal_1").get().data["confirmed"] is False


def test_zero_of_n_units_finished_is_counted_and_draft_needs_no_confirmation(world):
    cycle = services.cycle_open(criteria_set=world["cs"], organiser=world["prov"], year=2025, units=[world["a"], world["b"]], actor=world["office"])
    assert selectors.phase_progress(cycle) is None
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=world["office"])
    with pytest.raises(ConflictError) as info:
        services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=world["office"])
    assert info.value.message.startswith("0/2 đơn vị đã nộp tự đánh giá; 2 chưa nộp: Sở Alpha, Sở Beta.")


def test_explanation_and_second_round_count_only_what_is_open(world):
    cycle = _cycle_in(world, "self_assessment")
    _self_assess_all(cycle, world["a"], world["users"]["own_head"])
    _self_assess_all(cycle, world["b"], world["users"]["other_head"])
    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=world["office"])
    services.assessment_appraise(cycle=cycle, unit=world["a"], criterion="1.1", points="0.5", reason="Thiếu văn bản", actor=world["office"])
    cycle = services.cycle_transition(cycle=cycle, to_state="explanation", actor=world["office"], confirm=True)
    progress = selectors.phase_progress(cycle)
    assert (progress["done"], progress["not_done"]) == (["Sở Beta"], ["Sở Alpha"])  # Beta had nothing lowered
    services.assessment_explain(cycle=cycle, unit=world["a"], criterion="1.1", explanation="Có văn bản 3/KH", actor=world["users"]["own_head"])
    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_2", actor=world["office"])  # all explained: no question
    assert selectors.phase_progress(cycle)["not_done"] == ["Sở Alpha"]  # explained, not yet re-appraised
    services.assessment_appraise(cycle=cycle, unit=world["a"], criterion="1.1", points="1", reason="Chấp nhận", actor=world["office"])
    assert services.cycle_transition(cycle=cycle, to_state="published", actor=world["office"]).state == "published"


def test_the_api_returns_409_with_the_counts_and_accepts_confirm(world, api_client):
    cycle = _cycle_in(world, "self_assessment")
    api_client.force_authenticate(user=world["office"])
    url = f"/api/v1/indices/cycles/{cycle.pk}/transition/"
    r = api_client.post(url, {"to_state": "appraisal_1"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "confirmation_required" and r.json()["done"] == 0 and r.json()["total"] == 2
    assert api_client.post(url, {"to_state": "appraisal_1", "confirm": True}, format="json").status_code == 200


def test_the_cycle_page_shows_the_counts_and_a_required_confirmation(world, client):
    cycle = _cycle_in(world, "self_assessment")
    _self_assess_all(cycle, world["a"], world["users"]["own_head"])
    client.force_login(world["office"])
    html = client.get(f"/chi-so/ky/{cycle.pk}/").content.decode()
    assert "1/2</b> đơn vị đã nộp tự đánh giá; 1 chưa xong: Sở Beta" in html
    assert 'name="confirm" value="1" required' in html
    client.post(f"/chi-so/ky/{cycle.pk}/chuyen-buoc/", {"to_state": "appraisal_1"})
    assert AssessmentCycle.objects.get(pk=cycle.pk).state == "self_assessment"
    client.post(f"/chi-so/ky/{cycle.pk}/chuyen-buoc/", {"to_state": "appraisal_1", "confirm": "1"})
    assert AssessmentCycle.objects.get(pk=cycle.pk).state == "appraisal_1"


# ---------------------------------------------------------------------- a failing read inside the transition


def _failing_statistics(**kwargs):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM cchc_table_that_does_not_exist")
    return []


def test_a_database_error_in_the_statistics_read_leaves_the_connection_usable(world, monkeypatch):
    """On PostgreSQL a failed query aborts the transaction: without the savepoint every later query of the
    transition fails ("current transaction is aborted"). The transition must complete and record it."""
    monkeypatch.setattr("cchc.dossiers.selectors.dossier_statistics", _failing_statistics)
    cycle = services.cycle_open(criteria_set=world["cs"], organiser=world["prov"], year=2025, units=[world["a"]], actor=world["office"])
    services.criterion_data_import(cycle=cycle, rows=[{"unit": world["a"].code, "metric": "on_time_rate", "value": "99"}], actor=world["office"])
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=world["office"])
    assert cycle.state == "self_assessment"
    # the same connection and transaction go on working
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone()[0] == 1
    assert AssessmentCycle.objects.get(pk=cycle.pk).state == "self_assessment"
    assert Assessment.objects.get(cycle=cycle, unit=world["a"], criterion__code="2.1").self_points == D(6)  # imported figure used
    event = AuditEvent.objects.filter(action="indices.cycle.transition", to_state="self_assessment").get()
    assert event.data["dossier_statistics"].startswith("unavailable: ")


def test_a_bug_in_the_statistics_read_is_not_swallowed_and_nothing_is_written(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("lỗi lập trình")

    monkeypatch.setattr("cchc.dossiers.selectors.dossier_statistics", broken)
    cycle = services.cycle_open(criteria_set=world["cs"], organiser=world["prov"], year=2025, units=[world["a"]], actor=world["office"])
    with pytest.raises(RuntimeError):
        services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=world["office"])
    assert AssessmentCycle.objects.get(pk=cycle.pk).state == "draft"
    assert not CriterionDatum.objects.filter(cycle=cycle).exists()
    assert AssessmentCycle.objects.filter(pk=cycle.pk).exists()  # connection still usable


def test_indices_never_imports_surveys():
    """Lower apps never import higher ones (core → units/accounts → calendar/catalog → dossiers → indices →
    surveys): the national-index pages and `cchc index import-results` live in surveys."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{path.name}: {n}" for n in names if n.startswith("cchc.surveys")]
    assert offenders == []


def test_cli_index_import_results_is_still_offered():
    from cchc.cli import build_parser

    args = build_parser().parse_args(["index", "import-results", "x.csv", "--json"])
    assert args.func.__module__ == "cchc.surveys.cli" and args.file == "x.csv"

