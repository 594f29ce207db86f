"""Sửa nhiệm vụ from the plan page: htmx swaps the form into the row and the row back; without htmx a page.
Rules stay in the services (task_update / task_set_status), errors sit under the field they name (both databases)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.programme.models import PlanTask

from . import factories as f

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def w():
    w = f.world()
    w["plan"], w["task"] = f.plan_with_task(w, deadline=date(2026, 3, 31), responsible=w["head_a"], target_value="90", target_unit="%")
    return w


def client(user):
    c = Client()
    c.force_login(user)
    return c


def _form(w, **changes):
    t = w["task"]
    t.refresh_from_db()
    data = {"content": t.content, "unit": t.unit_id, "responsible": t.responsible_id or "", "deadline": t.deadline.isoformat(),
            "target_value": str(t.target_value or ""), "target_unit": t.target_unit, "status": t.status, "completed_on": "",
            "reason": "", "version": t.version}
    data.update(changes)
    return data


def test_inline_edit_with_htmx_swaps_form_and_row(w):
    c = client(w["office"])
    url = f"/ke-hoach-cchc/nhiem-vu/{w['task'].pk}/sua/"
    page = c.get(f"/ke-hoach-cchc/{w['plan'].pk}/").content.decode()
    assert f'hx-get="{url}"' in page and f'id="task-{w["task"].pk}"' in page
    row = c.get(url, **HX).content.decode()
    assert row.startswith(f'<tr id="task-{w["task"].pk}"') and f'hx-post="{url}"' in row and "<html" not in row
    r = c.post(url, _form(w, content="Rà soát, đơn giản hóa 20 thủ tục", unit=w["b"].pk, responsible=w["head_b"].pk,
                          deadline="2026-04-15", target_value="95,5", status="in_progress"), **HX)
    body = r.content.decode()
    assert r.status_code == 200 and body.startswith(f'<tr id="task-{w["task"].pk}"') and "Đã lưu." in body and "Sở Beta" in body
    t = PlanTask.objects.get(pk=w["task"].pk)
    assert (t.content, t.unit, t.responsible, t.deadline, str(t.target_value), t.status) == (
        "Rà soát, đơn giản hóa 20 thủ tục", w["b"], w["head_b"], date(2026, 4, 15), "95.50", "in_progress")
    update = AuditEvent.objects.get(action="programme.task.update", object_id=str(t.pk))
    assert sorted(update.data["fields"]) == ["content", "deadline", "responsible", "target_value", "unit"]
    assert AuditEvent.objects.filter(action="programme.task.status", object_id=str(t.pk), to_state="in_progress").exists()
    # Hủy gives the row back unchanged
    assert c.get(url + "?dong=1", **HX).content.decode().startswith(f'<tr id="task-{t.pk}"')
    # nothing changed → no write, no audit row
    before = AuditEvent.objects.count()
    assert "Không có thay đổi." in c.post(url, _form(w), **HX).content.decode() and AuditEvent.objects.count() == before


def test_invalid_input_stays_in_the_row_naming_the_field(w):
    c = client(w["office"])
    url = f"/ke-hoach-cchc/nhiem-vu/{w['task'].pk}/sua/"
    pk = w["task"].pk
    r = c.post(url, _form(w, content="  ", deadline="31/02/2026"), **HX)
    body = r.content.decode()
    assert r.status_code == 200 and f'id="t{pk}-content_error"' in body and f'id="t{pk}-deadline_error"' in body  # htmx swaps 200 only
    # done needs a completion date (service rule), not after today — shown under "Ngày hoàn thành", nothing half-written
    r = c.post(url, _form(w, content="Nội dung mới", status="done"), **HX)
    assert f'id="t{pk}-completed_on_error"' in r.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    r = c.post(url, _form(w, status="done", completed_on=tomorrow.isoformat()), **HX)
    assert "không được sau hôm nay" in r.content.decode()
    r = c.post(url, _form(w, status="cancelled"), **HX)
    assert f'id="t{pk}-reason_error"' in r.content.decode()
    t = PlanTask.objects.get(pk=pk)
    assert t.content == "Rà soát thủ tục" and t.status == "not_started" and t.version == 1
    # done exactly today is allowed
    r = c.post(url, _form(w, status="done", completed_on=timezone.localdate().isoformat()), **HX)
    t.refresh_from_db()
    assert r.status_code == 200 and t.status == "done" and t.completed_on == timezone.localdate()
    # a stale version (someone saved meanwhile) is refused above the form
    r = c.post(url, _form(w, content="Khác", version=1), **HX)
    assert "người khác thay đổi" in r.content.decode()


def test_without_htmx_a_page_and_a_redirect(w):
    c = client(w["office"])
    url = f"/ke-hoach-cchc/nhiem-vu/{w['task'].pk}/sua/"
    r = c.get(url)
    assert r.status_code == 200 and "<html" in r.content.decode() and "Sửa nhiệm vụ" in r.content.decode()
    r = c.post(url, _form(w, unit=w["other"].pk))  # a unit outside the plan's province is not offered
    assert r.status_code == 400 and f'id="t{w["task"].pk}-unit_error"' in r.content.decode()
    r = c.post(url, _form(w, deadline="2026-05-01"))
    assert r.status_code == 302 and r["Location"].endswith(f"/ke-hoach-cchc/{w['plan'].pk}/#task-{w['task'].pk}")
    assert PlanTask.objects.get(pk=w["task"].pk).deadline == date(2026, 5, 1)


def test_only_plan_editors_may_edit(w):
    url = f"/ke-hoach-cchc/nhiem-vu/{w['task'].pk}/sua/"
    # the head of the unit in charge reports progress but does not edit the province plan
    for who, status in (("head_a", 403), ("spec_a", 403), ("other_office", 404), ("citizen", 403)):
        c = client(w[who])
        assert c.get(url).status_code == status, who
        assert c.post(url, _form(w, content="Sửa trái phép"), **HX).status_code == status, who
    assert "Sửa" not in client(w["head_a"]).get(f"/ke-hoach-cchc/{w['plan'].pk}/").content.decode().split("<tbody>")[1]
    assert PlanTask.objects.get(pk=w["task"].pk).content == "Rà soát thủ tục"
