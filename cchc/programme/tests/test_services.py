"""Plans, tasks and progress through the services: permissions, rules, audit (both databases)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.programme import services
from cchc.programme.models import Plan, PlanTask, ProgressReport

from . import factories as f

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def w():
    return f.world()


def test_par_office_creates_and_issues_the_province_plan_on_the_deadline_day(w, settings):
    plan = services.plan_create(unit=w["prov"], year=2026, actor=w["office"])
    assert plan.issue_deadline == date(2025, 12, 31) and plan.status == "draft"
    plan = services.plan_issue(plan=plan, actor=w["office"], number="245/KH-UBND", issued_on="2025-12-31")
    assert plan.issued_on_time is True
    assert AuditEvent.objects.filter(action="programme.plan.issue", object_id=str(plan.pk)).exists()
    settings.PROGRAMME_PLAN_DEADLINE = "11-30"
    later = services.plan_create(unit=w["prov"], year=2027, actor=w["office"])
    assert later.issue_deadline == date(2026, 11, 30)


def test_a_plan_issued_the_day_after_the_deadline_is_late(w):
    plan = services.plan_create(unit=w["a"], year=2026, actor=w["head_a"])
    plan = services.plan_issue(plan=plan, actor=w["head_a"], number="12/KH-S", issued_on=date(2026, 1, 1))
    assert plan.issued_on_time is False


def test_who_may_write_which_plan(w):
    with pytest.raises(ForbiddenError):
        services.plan_create(unit=w["prov"], year=2026, actor=w["head_a"])      # a unit head: not the province plan
    with pytest.raises(ForbiddenError):
        services.plan_create(unit=w["b"], year=2026, actor=w["head_a"])         # nor another unit's plan
    with pytest.raises(ForbiddenError):
        services.plan_create(unit=w["a"], year=2026, actor=w["spec_a"])         # a specialist: no plan
    with pytest.raises(ForbiddenError):
        services.plan_create(unit=w["prov"], year=2026, actor=w["other_office"])
    services.plan_create(unit=w["a"], year=2026, actor=w["office"])             # the PAR office may write unit plans
    with pytest.raises(ConflictError) as info:
        services.plan_create(unit=w["a"], year=2026, actor=w["head_a"])
    assert info.value.field == "year"


def test_bad_input_names_the_field_and_writes_nothing(w):
    plan = services.plan_create(unit=w["prov"], year=2026, actor=w["office"])
    for data, field in (({"content": "x", "unit": w["a"], "deadline": "30/06/2026"}, "deadline"),
                        ({"content": "", "unit": w["a"], "deadline": "2026-06-30"}, "content"),
                        ({"content": "x", "unit": w["other"], "deadline": "2026-06-30"}, "unit"),
                        ({"content": "x", "unit": w["a"], "deadline": "2026-06-30", "kind": "party"}, "kind"),
                        ({"content": "x", "unit": w["a"], "deadline": "2026-06-30", "target_value": "abc"}, "target_value")):
        with pytest.raises(DomainError) as info:
            services.task_create(plan=plan, actor=w["office"], **data)
        assert info.value.field == field
    assert not PlanTask.objects.exists()
    with pytest.raises(DomainError) as info:
        services.plan_issue(plan=plan, actor=w["office"], number="", issued_on="2025-12-20")
    assert info.value.field == "number"


def test_unit_head_reports_progress_with_evidence_and_completes_the_task(w):
    plan, t = f.plan_with_task(w, deadline=timezone.localdate(), responsible=w["head_a"], target_value="95", target_unit="%")
    with pytest.raises(ForbiddenError):
        services.progress_report_add(task=t, actor=w["head_b"], content="x")
    r = services.progress_report_add(task=t, actor=w["head_a"], content="Đã triển khai", percent=50,
                                     uploaded_file=SimpleUploadedFile("minh-chung.pdf", PDF, content_type="application/pdf"))
    assert r.file_path.startswith("plans/") and r.sha256 and r.content_type == "application/pdf"
    t.refresh_from_db()
    assert t.status == "in_progress"
    with pytest.raises(DomainError) as info:
        services.progress_report_add(task=t, actor=w["head_a"], content="x", uploaded_file=SimpleUploadedFile("a.pdf", b"not a pdf"))
    assert info.value.field == "file" and ProgressReport.objects.count() == 1
    with pytest.raises(DomainError) as info:
        services.task_set_status(task=t, actor=w["head_a"], status="done", completed_on=timezone.localdate() + timedelta(days=1))
    assert info.value.field == "completed_on"
    t = services.task_set_status(task=t, actor=w["head_a"], status="done", completed_on=timezone.localdate(), achieved_value="96,5")
    assert t.achieved_value == D("96.50") and t.timeliness(timezone.localdate() + timedelta(days=30)) == "on_time"
    ev = AuditEvent.objects.filter(action="programme.task.status").last()
    assert ev.from_state == "in_progress" and ev.to_state == "done"


def test_only_the_plan_editor_cancels_and_must_give_a_reason(w):
    _, t = f.plan_with_task(w)
    with pytest.raises(ForbiddenError):
        services.task_set_status(task=t, actor=w["head_a"], status="cancelled", reason="không cần")
    with pytest.raises(DomainError) as info:
        services.task_set_status(task=t, actor=w["office"], status="cancelled")
    assert info.value.field == "reason"
    t = services.task_set_status(task=t, actor=w["office"], status="cancelled", reason="Gộp vào nhiệm vụ khác")
    with pytest.raises(ConflictError):
        services.progress_report_add(task=t, actor=w["office"], content="x")


def test_a_stale_version_is_refused(w):
    _, t = f.plan_with_task(w)
    with pytest.raises(ConflictError) as info:
        services.task_update(task=t, actor=w["office"], expected_version=t.version + 1, content="y")
    assert info.value.code == "stale_version"
    assert Plan.objects.count() == 1
