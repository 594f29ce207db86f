"""Commendations: rules at their boundaries (rank = N, zero late dossiers, minimum volume), edits kept on
recomputation, decision freezes the list, scopes, API 4xx/409, report section."""

import datetime as dt

import pytest

from cchc.accounts.models import Role, User
from cchc.commendations import selectors, services
from cchc.commendations.models import Form, ProposalStatus, RuleKind
from cchc.core.audit import AuditEvent
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from cchc.indices.models import AssessmentCycle, CriteriaSet, CycleResult, CycleState

    province = Unit.objects.create(code="T1", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    nv = Unit.objects.create(code="T1-SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    communes = [Unit.objects.create(code=f"T1-X{i}", name=f"Xã {i}", kind=UnitKind.COMMUNE, parent=province) for i in range(1, 5)]
    cs = CriteriaSet.objects.create(code="T1-2025-X", name="Bộ tiêu chí xã 2025", year=2025, target_group="commune")
    cycle = AssessmentCycle.objects.create(criteria_set=cs, organiser=province, year=2025, name="Chỉ số CCHC nội bộ 2025",
                                           state=CycleState.PUBLISHED)
    for rank, (u, pct) in enumerate(zip(communes, [99.5, 98.0, 97.25, 90.0], strict=True), 1):
        CycleResult.objects.create(cycle=cycle, unit=u, group="commune", total=pct, max_points=100, index_pct=pct, rank=rank,
                                   data={"unit_id": u.pk, "unit": u.name, "group": "commune", "rank": rank, "group_size": 4, "index_pct": pct})
    par = User.objects.create_user(username="par", password="x", role=Role.PAR_OFFICE, unit=nv)
    head = User.objects.create_user(username="head", password="x", role=Role.UNIT_HEAD, unit=communes[0])
    return {"province": province, "communes": communes, "cycle": cycle, "par": par, "head": head}


def _figures(late: dict | None = None, settled: int = 100):
    late = late or {}

    def fake(*, province, unit_ids, year):
        return {uid: {"settled": settled, "settled_late": late.get(uid, 0), "overdue_open": 0, "on_time": settled - late.get(uid, 0),
                      "on_time_rate": round((settled - late.get(uid, 0)) * 100.0 / settled, 1)} for uid in unit_ids}
    return fake


def test_top_n_includes_rank_n_and_excludes_n_plus_one(world):
    services.rule_create(province=world["province"], year=2025, kind=RuleKind.INDEX_TOP_N, form=Form.PROVINCIAL_MERIT, cycle=world["cycle"],
                         top_n=2, actor=world["par"])
    p = services.proposal_compute(province=world["province"], year=2025, actor=world["par"])
    names = [c.unit.name for c in p.candidates.order_by("unit__code")]
    assert names == ["Xã 1", "Xã 2"]
    assert p.candidates.get(unit__name="Xã 2").basis.startswith("Xếp hạng 2/4 Chỉ số CCHC nội bộ 2025 (98,00%)")


def test_no_late_dossier_rule_boundary_and_higher_form_wins(world, monkeypatch):
    c = world["communes"]
    monkeypatch.setattr(selectors, "dossier_figures", _figures(late={c[1].pk: 1}))
    kw = dict(province=world["province"], year=2025, actor=world["par"])
    services.rule_create(kind=RuleKind.INDEX_TOP_N, form=Form.PROVINCIAL_MERIT, cycle=world["cycle"], top_n=1, **kw)
    services.rule_create(kind=RuleKind.NO_LATE_DOSSIERS, form=Form.CERTIFICATE, **kw)
    p = services.proposal_compute(**kw)
    got = {cand.unit.name: cand.form for cand in p.candidates.all()}
    assert got == {"Xã 1": Form.PROVINCIAL_MERIT, "Xã 3": Form.CERTIFICATE, "Xã 4": Form.CERTIFICATE, "Sở Nội vụ": Form.CERTIFICATE}
    assert "không có hồ sơ trễ hạn" in p.candidates.get(unit__name="Xã 3").basis


def test_dossier_rule_needs_the_minimum_volume_and_an_empty_year_proposes_nobody(world):
    services.rule_create(province=world["province"], year=2025, kind=RuleKind.NO_LATE_DOSSIERS, form=Form.CERTIFICATE, actor=world["par"])
    p = services.proposal_compute(province=world["province"], year=2025, actor=world["par"])  # real statistics: no dossiers at all
    assert p.candidates.count() == 0
    with pytest.raises(DomainError):
        services.rule_create(province=world["province"], year=2025, kind=RuleKind.NO_LATE_DOSSIERS, form=Form.CERTIFICATE, min_settled=0)


def test_unpublished_cycle_is_refused(world):
    world["cycle"].state = "appraisal_1"
    world["cycle"].save()
    services.rule_create(province=world["province"], year=2025, kind=RuleKind.INDEX_TOP_N, form=Form.CERTIFICATE, cycle=world["cycle"],
                         top_n=2, actor=world["par"])
    with pytest.raises(ConflictError) as exc:
        services.proposal_compute(province=world["province"], year=2025, actor=world["par"])
    assert exc.value.code == "not_published"


def test_edits_survive_recomputation_and_the_decision_freezes_the_list(world):
    kw = dict(province=world["province"], year=2025, actor=world["par"])
    services.rule_create(kind=RuleKind.INDEX_TOP_N, form=Form.PROVINCIAL_MERIT, cycle=world["cycle"], top_n=2, **kw)
    p = services.proposal_compute(**kw)
    first = p.candidates.get(unit__name="Xã 1")
    with pytest.raises(DomainError):
        services.candidate_remove(candidate=first, reason=" ", actor=world["par"])
    services.candidate_remove(candidate=first, reason="Trùng khen thưởng chuyên đề", actor=world["par"])
    services.candidate_add(proposal=p, official_name="Nguyễn Văn A", form=Form.CERTIFICATE, reason="Thành tích xuất sắc", actor=world["par"])
    services.proposal_compute(**kw)
    assert p.candidates.filter(removed=True).count() == 1 and p.candidates.filter(manual=True).count() == 1
    assert p.candidates.filter(removed=False).count() == 2
    with pytest.raises(DomainError) as exc:
        services.proposal_decide(proposal=p, decision_number="", decision_date=dt.date(2026, 3, 1), actor=world["par"])
    assert exc.value.field == "decision_number"
    services.proposal_decide(proposal=p, decision_number="512/QĐ-UBND", decision_date=dt.date(2026, 3, 1), actor=world["par"])
    p.refresh_from_db()
    assert p.status == ProposalStatus.DECIDED
    with pytest.raises(ConflictError):
        services.proposal_compute(**kw)
    with pytest.raises(ConflictError):
        services.candidate_add(proposal=p, official_name="B", form=Form.CERTIFICATE, reason="x", actor=world["par"])
    actions = set(AuditEvent.objects.filter(action__startswith="commendations.").values_list("action", flat=True))
    assert {"commendations.rule_created", "commendations.proposal_computed", "commendations.candidate_removed",
            "commendations.candidate_added", "commendations.proposal_decided"} <= actions
    section = selectors.report_section(world["province"], dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    figures = {f["key"]: f["value"] for f in section["figures"]}
    assert figures == {"commended_units": 1, "commended_officials": 1, "provincial_merits": 1, "certificates": 1}
    assert section["tables"][0]["rows"][0][3] == "512/QĐ-UBND ngày 01/03/2026"
    assert selectors.report_section(world["province"], dt.date(2025, 1, 1), dt.date(2025, 12, 31))["tables"][0]["rows"] == []


def test_only_the_par_office_writes_and_drafts_are_hidden_from_unit_staff(world):
    with pytest.raises(ForbiddenError):
        services.rule_create(province=world["province"], year=2025, kind=RuleKind.NO_LATE_DOSSIERS, form=Form.CERTIFICATE, actor=world["head"])
    services.rule_create(province=world["province"], year=2025, kind=RuleKind.INDEX_TOP_N, form=Form.CERTIFICATE, cycle=world["cycle"],
                         top_n=1, actor=world["par"])
    p = services.proposal_compute(province=world["province"], year=2025, actor=world["par"])
    assert list(selectors.proposals_visible(world["head"])) == []
    services.proposal_decide(proposal=p, decision_number="1/QĐ", decision_date=dt.date(2026, 1, 5), actor=world["par"])
    assert list(selectors.proposals_visible(world["head"])) == [p]


def test_api_compute_add_remove_decide(api_client, world):
    api_client.force_authenticate(world["par"])
    bad = api_client.post("/api/v1/commendations/rules/", {"year": 2025, "kind": "index_top_n", "form": "certificate"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "cycle"
    ok = api_client.post("/api/v1/commendations/rules/", {"year": 2025, "kind": "index_top_n", "form": "certificate", "cycle": world["cycle"].pk,
                                                           "top_n": 2}, format="json")
    assert ok.status_code == 201
    p = api_client.post("/api/v1/commendations/proposals/compute/", {"year": 2025}, format="json").json()
    assert len(p["candidates"]) == 2
    removed = api_client.post(f"/api/v1/commendations/candidates/{p['candidates'][0]['id']}/remove/", {"reason": "Trùng"}, format="json")
    assert removed.status_code == 200 and removed.json()["removed"] is True
    assert api_client.post(f"/api/v1/commendations/proposals/{p['id']}/candidates/", {"form": "certificate", "reason": "x"},
                           format="json").json()["field"] == "unit"
    assert api_client.post(f"/api/v1/commendations/proposals/{p['id']}/decide/", {"decision_number": "5/QĐ", "decision_date": "2099-01-01"},
                           format="json").json()["code"] == "future_date"
    done = api_client.post(f"/api/v1/commendations/proposals/{p['id']}/decide/", {"decision_number": "5/QĐ", "decision_date": "2026-02-02"},
                           format="json")
    assert done.status_code == 200 and done.json()["status"] == "decided"
    assert api_client.post("/api/v1/commendations/proposals/compute/", {"year": 2025}, format="json").status_code == 409
    api_client.force_authenticate(world["head"])
    assert len(api_client.get("/api/v1/commendations/proposals/").json()) == 1
    assert api_client.get("/api/v1/commendations/rules/").json() == []


def test_page_shows_the_list_with_basis(client, world):
    services.rule_create(province=world["province"], year=2025, kind=RuleKind.INDEX_TOP_N, form=Form.PROVINCIAL_MERIT, cycle=world["cycle"],
                         top_n=1, actor=world["par"])
    client.force_login(world["par"])
    assert client.post("/khen-thuong/tinh/", {"year": "2025"}).status_code == 302
    page = client.get("/khen-thuong/?nam=2025").content.decode()
    assert "Xã 1" in page and "Xếp hạng 1/4" in page and "Ghi quyết định" in page
    client.force_login(world["head"])
    assert "Xếp hạng 1/4" not in client.get("/khen-thuong/?nam=2025").content.decode()


def test_plan_task_rule_boundaries(world, client):
    """All plan tasks on time: done on the deadline day counts, one day late does not, a cancelled task is out of the
    count, an open task past its deadline fails, a unit with no task due in the year is not proposed (our choice),
    a task due the next year is not in this year's count."""
    from cchc.programme.models import Plan, PlanTask, TaskStatus

    c, province = world["communes"], world["province"]
    plan = Plan.objects.create(unit=province, year=2025, title="Kế hoạch CCHC năm 2025", issue_deadline=dt.date(2024, 12, 31))

    def task(unit, deadline, status=TaskStatus.DONE, completed_on=None):
        return PlanTask.objects.create(plan=plan, unit=unit, content="Rà soát thủ tục", deadline=deadline, status=status,
                                       completed_on=completed_on)

    task(c[0], dt.date(2025, 6, 30), completed_on=dt.date(2025, 6, 30))  # exactly on the deadline day: on time
    task(c[0], dt.date(2025, 3, 31), status=TaskStatus.CANCELLED)  # cancelled, not done: out of the count
    task(c[1], dt.date(2025, 6, 30), completed_on=dt.date(2025, 7, 1))  # one day late
    task(c[2], dt.date(2025, 12, 31), status=TaskStatus.IN_PROGRESS)  # still open after the year: overdue
    task(c[3], dt.date(2026, 1, 15), completed_on=dt.date(2026, 1, 10))  # due the next year: Xã 4 has nothing due in 2025
    nv = Unit.objects.get(code="T1-SNV")
    task(nv, dt.date(2025, 5, 5), status=TaskStatus.CANCELLED)  # only a cancelled task: nothing due
    kw = dict(province=province, year=2025, actor=world["par"])
    services.rule_create(kind=RuleKind.PLAN_TASKS_ON_TIME, form=Form.CERTIFICATE, **kw)
    p = services.proposal_compute(**kw)
    assert [cand.unit.name for cand in p.candidates.all()] == ["Xã 1"]
    cand = p.candidates.get()
    assert cand.basis == "hoàn thành đúng hạn 1/1 nhiệm vụ kế hoạch CCHC năm 2025"
    assert cand.facts["tasks"]["due"] == 1 and cand.facts["tasks_on_time"] is True
    client.force_login(world["par"])
    page = client.get("/khen-thuong/?nam=2025").content.decode()
    assert "Hoàn thành đúng hạn mọi nhiệm vụ kế hoạch CCHC trong năm" in page and "không có nhiệm vụ đến hạn thì không đạt" in page
