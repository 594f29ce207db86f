"""Apologies for late dossiers: a letter is allowed after the due time too (marked late, still late in the
statistics), the head sees overdue dossiers without a letter, and units may publish their letters."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.errors import DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.dossiers import issuance, selectors, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
DUE = datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # 3 working days after MON


def receive(world, at=MON, name="Nguyễn Thị Ánh Tuyết"):
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                 applicant=applicant(name=name), received_at=at)
    return services.dossier_transition(dossier=d, action=wf.ASSIGN, actor=world["officer"], version=d.version,
                                       at=at + timedelta(minutes=30), handling_unit_code=world["dept"].code, assignee="chuyenvien")


def apologise(world, d, at, new_due, **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=wf.APOLOGISE, actor=world["specialist"], version=d.version, at=at,
                                       reason=kw.pop("reason", "Chờ kết quả xác minh"), new_due_at=new_due, **kw)


@pytest.mark.parametrize(("at", "late"), [
    (DUE - timedelta(seconds=1), False),
    (DUE, False),                        # exactly at the due time: not yet late (late is settled_at > due_at)
    (DUE + timedelta(seconds=1), True),
    (DUE + timedelta(days=3), True),
])
def test_a_letter_is_allowed_before_and_after_the_due_time_and_marked_late_after_it(world, at, late):
    d = receive(world)
    d = apologise(world, d, at, at + timedelta(days=5))
    letter = d.apologies.get()
    assert letter.issued_late is late
    assert d.due_at == DUE and d.promised_at == at + timedelta(days=5)


def test_a_late_letter_must_promise_a_date_after_the_moment_it_is_written(world):
    d = receive(world)
    with pytest.raises(DomainError) as exc:
        apologise(world, d, DUE + timedelta(days=2), DUE + timedelta(days=1))  # after the due, but already past
    assert exc.value.field == "new_due_at" and "thời điểm lập phiếu" in exc.value.message


def test_the_late_letter_says_so_and_lateness_stays_in_the_statistics(world, client):
    d = receive(world)
    d = apologise(world, d, DUE + timedelta(days=1), DUE + timedelta(days=4))
    services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["specialist"], version=d.version,
                                at=DUE + timedelta(days=3))
    [row] = selectors.dossier_statistics(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31), group_by=(),
                                         now=datetime(2026, 4, 1, tzinfo=VN))
    assert row["settled_late"] == 1 and row["on_time_rate"] == 0.0
    assert row["apology_issued"] == 1 and row["apology_issued_late"] == 1
    client.force_login(world["specialist"])
    from .test_documents import pdf_text

    text = " ".join(pdf_text(client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"])).content).split())
    assert "Hồ sơ đã quá hạn giải quyết" in text


def test_overdue_dossiers_without_a_current_letter_are_listed_for_the_head(world):
    units = [world["dept"]]
    a = receive(world)
    b = receive(world)
    c = receive(world)
    after_due = DUE + timedelta(hours=2)
    listed = lambda now: {x.code for x in selectors.late_without_apology(units=units, now=now)}  # noqa: E731
    assert listed(DUE) == set()                                   # exactly at the due time: not overdue
    assert listed(after_due) == {a.code, b.code, c.code}
    apologise(world, b, DUE - timedelta(hours=1), DUE + timedelta(days=2))      # letter before the due
    apologise(world, c, after_due, DUE + timedelta(days=1))                      # late letter, promise ahead
    assert listed(after_due + timedelta(minutes=1)) == {a.code}
    assert listed(DUE + timedelta(days=1, minutes=1)) == {a.code, c.code}        # c's promise has passed as well
    c.refresh_from_db()
    services.dossier_transition(dossier=c, action=wf.COMPLETE, actor=world["specialist"], version=c.version,
                                at=DUE + timedelta(days=1, minutes=2))
    assert listed(DUE + timedelta(days=1, minutes=3)) == {a.code}                # settled: no longer waiting
    counts = selectors.apology_counts(units=units, now=DUE + timedelta(days=1, minutes=3))
    assert counts == {"awaiting": 1, "issued_late": 1, "issued_before_due": 1}


def test_a_dossier_paused_before_its_due_is_not_awaiting_a_letter(world):
    d = receive(world)
    d.refresh_from_db()
    services.dossier_transition(dossier=d, action=wf.PAUSE, actor=world["specialist"], version=d.version,
                                at=DUE - timedelta(hours=1), reason="Chờ nộp thuế")
    assert not selectors.late_without_apology(units=[world["dept"]], now=DUE + timedelta(days=2)).exists()


def test_the_heads_page_counts_links_and_offers_the_letter(world, client):
    d = receive(world, at=timezone.now() - timedelta(days=20))
    client.force_login(world["head"])
    r = client.get(reverse("dossiers:apologies"))
    body = r.content.decode()
    assert r.status_code == 200
    assert d.code in body and "Lập văn bản xin lỗi" in body and "?mo=apologise" in body
    assert r.context["counts"]["awaiting"] == 1
    detail = client.get(reverse("dossiers:detail", args=[d.code]) + "?mo=apologise").content.decode()
    assert 'id="action-apologise" open' in detail and "Lê Văn Pháp" in detail  # the signatory picker


def test_the_heads_page_shows_only_dossiers_in_scope(world, client):
    receive(world, at=timezone.now() - timedelta(days=20))
    client.force_login(world["other_officer"])
    r = client.get(reverse("dossiers:apologies"))
    assert r.status_code == 200 and r.context["counts"]["awaiting"] == 0


# ------------------------------------------------------------------------------------------- publication

def test_only_the_head_may_publish_and_the_choice_is_audited(world, client):
    with pytest.raises(ForbiddenError):
        issuance.apology_publication_set(unit=world["dept"], enabled=True, actor=world["specialist"])
    client.force_login(world["specialist"])
    assert client.post(reverse("dossiers:apologies"), {"cong_khai": "1"}).status_code == 403
    client.force_login(world["head"])
    assert client.post(reverse("dossiers:apologies"), {"cong_khai": "1"}).status_code == 302
    pub = world["dept"].apology_publication
    assert pub.enabled and pub.enabled_since is not None
    event = AuditEvent.objects.filter(action="dossiers.apology_publication").latest("id")
    assert event.object_id == world["dept"].code and event.data == {"before": False, "after": True}


def test_the_public_page_shows_published_letters_without_personal_data(world, client):
    old = receive(world, at=timezone.now() - timedelta(days=30), name="Trần Văn Cũ")
    apologise(world, old, timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=5), reason="Phiếu trước khi công khai")
    assert "Phiếu trước khi công khai" not in client.get(reverse("dossiers:public_apologies")).content.decode()
    issuance.apology_publication_set(unit=world["dept"], enabled=True, actor=world["head"])
    d = receive(world, at=timezone.now() - timedelta(days=20))
    apologise(world, d, timezone.now(), timezone.now() + timedelta(days=3), reason="Chờ ý kiến của Bộ Tư pháp")
    body = client.get(reverse("dossiers:public_apologies")).content.decode()
    assert "Chờ ý kiến của Bộ Tư pháp" in body and "Sở Tư pháp" in body and "Cấp phiếu lý lịch tư pháp" in body
    assert "N.T.Á.T." in body and "Nguyễn Thị Ánh Tuyết" not in body
    assert d.code not in body and d.lookup_token not in body and "0912345678" not in body
    assert "Phiếu trước khi công khai" not in body                     # issued before the unit chose to publish
    assert "xin lỗi khi đã quá hạn" in body                             # the letter was written after the due
    issuance.apology_publication_set(unit=world["dept"], enabled=False, actor=world["head"])
    assert "Chờ ý kiến của Bộ Tư pháp" not in client.get(reverse("dossiers:public_apologies")).content.decode()


@pytest.mark.parametrize(("name", "kind", "shown"), [
    ("Nguyễn Thị Ánh Tuyết", "person", "N.T.Á.T."),
    ("  lê   văn ", "person", "L.V."),
    ("", "person", "—"),
    ("Công ty TNHH Demo", "organisation", "Công ty TNHH Demo"),
])
def test_names_are_masked_as_initials_for_people_only(name, kind, shown):
    assert selectors.mask_name(name, kind) == shown


def test_the_dossier_itself_is_unchanged_by_publication(world):
    d = receive(world)
    before = Dossier.objects.get(pk=d.pk).version
    issuance.apology_publication_set(unit=world["dept"], enabled=True, actor=world["head"])
    assert Dossier.objects.get(pk=d.pk).version == before
