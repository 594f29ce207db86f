"""Documents tell the truth: the head of the competent agency signs (never the drafting specialist), a unit
without a head recorded is refused, and a reprint shows the document as it was issued."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.errors import ConflictError, DomainError
from cchc.core.models import AuditEvent
from cchc.dossiers import results, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import ApologyLetter, Dossier, ElectronicResult, IssuedDocument
from cchc.dossiers.signatory import head_title_of, is_deputy, signature_block

from .factories import applicant
from .test_documents import pdf_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday; 3 working days → due Thu 05/03 09:00


# ------------------------------------------------------------------------------------------- pure rules

@pytest.mark.parametrize(("position", "collective", "lines"), [
    ("Giám đốc", "", ("GIÁM ĐỐC",)),
    ("Phó Giám đốc", "", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ("Chủ tịch", "Ủy ban nhân dân", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ("Phó Chủ tịch", "Ủy ban nhân dân", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    ("", "", ("THỦ TRƯỞNG CƠ QUAN",)),
])
def test_signature_block_follows_the_signing_authority(position, collective, lines):
    block = signature_block(signer_name=" Lê Văn Pháp ", signer_position=position, collective_body=collective)
    assert block.lines == lines and block.name == "Lê Văn Pháp"


def test_authorised_signing_needs_the_authorising_title():
    block = signature_block(signer_name="A", signer_position="Chánh Văn phòng", mode="tuq", authorising_title="Giám đốc")
    assert block.lines == ("TUQ. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")
    with pytest.raises(ValueError):
        signature_block(signer_name="A", signer_position="Chánh Văn phòng", mode="tuq")


def test_deputy_titles():
    assert is_deputy("Phó Giám đốc") and is_deputy("phó chủ tịch") and not is_deputy("Giám đốc") and not is_deputy("")
    assert head_title_of("Phó Chủ tịch") == "Chủ tịch" and head_title_of("Giám đốc") == "Giám đốc"


# ------------------------------------------------------------------------------------------- services



def receive(world, at=MON, **kw):
    return services.dossier_receive(actor=kw.pop("actor", world["officer"]), procedure=world["procedure"], unit=world["centre"],
                                    applicant=applicant(), received_at=at, **kw)


def act(world, d, action, at, actor=None, **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=action, actor=actor or world["specialist"], version=d.version, at=at, **kw)


def handed_to_dept(world):
    d = receive(world)
    return act(world, d, wf.ASSIGN, MON.replace(hour=10), actor=world["officer"], handling_unit_code=world["dept"].code,
               assignee="chuyenvien")


def text_of(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.mark.django_db
def test_the_apology_is_signed_by_the_head_and_the_specialist_is_only_the_drafter(world, client):
    d = handed_to_dept(world)
    d = act(world, d, wf.APOLOGISE, MON.replace(day=4), reason="Chờ xác minh của công an", new_due_at="2026-03-10T17:00")
    letter = d.apologies.get()
    assert letter.signatory == world["head"] and letter.issued_by == world["specialist"]
    assert letter.issuing_unit == world["dept"]
    client.force_login(world["specialist"])
    pdf = client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"])).content
    text = text_of(pdf)
    assert "GIÁM ĐỐC" in text and "Lê Văn Pháp" in text
    assert "THỦ TRƯỞNG CƠ QUAN" not in text
    assert f"Người soạn thảo: {world['specialist'].display_name()}" in text
    # the specialist's name appears only as drafter, never under the signature
    assert text.count(world["specialist"].display_name()) == 1


@pytest.mark.django_db
def test_a_deputy_chosen_as_signatory_signs_on_behalf_of_the_head(world, client):
    d = handed_to_dept(world)
    d = act(world, d, wf.APOLOGISE, MON.replace(day=4), reason="Chờ ý kiến liên ngành", new_due_at="2026-03-10T17:00",
            signatory="phogiamdoc.sotp")
    client.force_login(world["head"])
    text = text_of(client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"])).content)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Trần Thị Phó" in text


@pytest.mark.django_db
def test_someone_who_is_not_a_head_of_the_agency_cannot_be_the_signatory(world):
    d = handed_to_dept(world)
    with pytest.raises(DomainError) as exc:
        act(world, d, wf.APOLOGISE, MON.replace(day=4), reason="Trễ", new_due_at="2026-03-10T17:00", signatory="chuyenvien")
    assert exc.value.field == "signatory" and "Lê Văn Pháp" in exc.value.message
    assert not ApologyLetter.objects.exists()


@pytest.mark.django_db
def test_a_unit_without_a_head_is_refused_with_what_is_missing_and_nothing_is_written(world):
    world["head"].delete()
    world["deputy"].delete()
    d = handed_to_dept(world)
    version = Dossier.objects.get(pk=d.pk).version
    with pytest.raises(ConflictError) as exc:
        act(world, d, wf.APOLOGISE, MON.replace(day=4), reason="Trễ", new_due_at="2026-03-10T17:00")
    assert exc.value.code == "no_signatory"
    assert "Sở Tư pháp" in exc.value.message and "Người đứng đầu đơn vị" in exc.value.message
    assert not ApologyLetter.objects.exists() and not IssuedDocument.objects.filter(kind="apology").exists()
    assert Dossier.objects.get(pk=d.pk).version == version


@pytest.mark.django_db
def test_the_apology_page_form_refuses_without_a_head_with_a_4xx_message(world, client):
    world["head"].delete()
    world["deputy"].delete()
    d = handed_to_dept(world)
    d.refresh_from_db()
    client.force_login(world["specialist"])
    later = (timezone.localdate() + timedelta(days=10)).isoformat()
    r = client.post(reverse("dossiers:action", args=[d.code, wf.APOLOGISE]),
                    {"version": d.version, "reason": "Trễ", "new_due_date": later, "new_due_time": "17:00"})
    assert r.status_code == 409
    assert "chưa có người đứng đầu" in r.content.decode()


@pytest.mark.django_db
def test_a_commune_apology_is_signed_for_the_peoples_committee(world):
    d = services.dossier_receive(actor=world["desk_officer"], procedure=world["commune_procedure"], unit=world["desk"],
                                 applicant=applicant(), received_at=MON)
    d = act(world, d, wf.APOLOGISE, MON.replace(hour=11), actor=world["desk_officer"], reason="Chờ trích lục",
            new_due_at="2026-03-06T17:00")
    from cchc.dossiers.documents import dossier_form_context

    ctx = dossier_form_context(d, "apology")
    assert ctx["signature"]["lines"] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"] and ctx["signature"]["name"] == "Nguyễn Văn Xã"


@pytest.mark.django_db
def test_the_electronic_result_is_signed_by_the_head_and_refused_without_one(world, settings, tmp_path):
    d = handed_to_dept(world)
    d = act(world, d, wf.COMPLETE, MON.replace(day=3))
    result = results.electronic_result_issue(dossier=Dossier.objects.get(pk=d.pk), actor=world["specialist"], title="Phiếu LLTP")
    assert result.signatory == world["head"] and result.issued_by == world["specialist"]
    text = text_of(results.result_bytes(result))
    assert "GIÁM ĐỐC" in text and "Lê Văn Pháp" in text and "THỦ TRƯỞNG CƠ QUAN" not in text
    assert f"Người soạn thảo: {world['specialist'].display_name()}" in text
    world["head"].is_active = False
    world["head"].save()
    world["deputy"].is_active = False
    world["deputy"].save()
    before = ElectronicResult.objects.count()
    with pytest.raises(ConflictError) as exc:
        results.electronic_result_issue(dossier=Dossier.objects.get(pk=d.pk), actor=world["specialist"])
    assert exc.value.code == "no_signatory" and ElectronicResult.objects.count() == before


# ------------------------------------------------------------------------------------------- reprints

@pytest.mark.django_db
def test_a_reprinted_receipt_shows_the_original_appointment_after_an_apology(world, client):
    d = handed_to_dept(world)
    client.force_login(world["officer"])
    url = reverse("dossiers:pdf", args=[d.code, "giay-tiep-nhan"])
    first = text_of(client.get(url).content)
    assert "09 giờ 00 phút, ngày 05/03/2026" in first and "BẢN IN LẠI" not in first
    d = act(world, d, wf.APOLOGISE, MON.replace(day=4), reason="Chờ xác minh", new_due_at="2026-03-12T16:00")
    assert d.promised_at is not None
    reprint = text_of(client.get(url).content)
    assert "BẢN IN LẠI" in reprint
    assert "09 giờ 00 phút, ngày 05/03/2026" in reprint       # the appointment printed at intake
    assert "12/03/2026" not in reprint                        # the new date is on the apology letter only
    apology = text_of(client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"])).content)
    assert "16 giờ 00 phút, ngày 12/03/2026" in apology
    doc = IssuedDocument.objects.get(dossier=d, kind="receipt")
    assert doc.prints == 2 and doc.number.endswith("/TNHS")
    prints = AuditEvent.objects.filter(object_id=d.code, action="dossier.document_print")
    assert prints.count() == 3  # two receipts, one apology


@pytest.mark.django_db
def test_a_reprinted_receipt_keeps_the_appointment_after_a_pause_moved_the_due_time(world, client):
    d = handed_to_dept(world)
    d = act(world, d, wf.PAUSE, MON.replace(day=3), reason="Chờ nghĩa vụ tài chính")
    d = act(world, d, wf.RESUME, MON.replace(day=9))
    assert d.due_at > d.original_due_at
    client.force_login(world["officer"])
    text = text_of(client.get(reverse("dossiers:pdf", args=[d.code, "giay-tiep-nhan"])).content)
    assert "09 giờ 00 phút, ngày 05/03/2026" in text


@pytest.mark.django_db
def test_each_apology_letter_is_its_own_document_with_its_own_number(world, client):
    d = handed_to_dept(world)
    d = act(world, d, wf.APOLOGISE, MON.replace(day=4), reason="Lần 1", new_due_at="2026-03-10T17:00")
    d = act(world, d, wf.APOLOGISE, MON.replace(day=9), reason="Lần 2", new_due_at="2026-03-13T17:00")
    first, second = IssuedDocument.objects.filter(dossier=d, kind="apology").order_by("issued_at")
    assert first.number != second.number and second.number.split("/")[0].endswith(".02")
    client.force_login(world["specialist"])
    one = text_of(client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"]) + f"?so={first.pk}").content)
    two = text_of(client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"]) + f"?so={second.pk}").content)
    assert "Lần 1" in one and "10/03/2026" in one and "Lần 2" not in one
    assert "Lần 2" in two and "13/03/2026" in two and "đã hẹn lại đến" in two
    assert client.get(reverse("dossiers:pdf", args=[d.code, "xin-loi"]) + "?so=999999").status_code == 404


@pytest.mark.django_db
def test_a_dossier_issued_before_snapshots_prints_its_receipt_rebuilt_with_the_original_appointment(world, client):
    d = handed_to_dept(world)
    IssuedDocument.objects.filter(dossier=d).delete()  # as for demo rows and dossiers received before this change
    Dossier.objects.filter(pk=d.pk).update(due_at=datetime(2026, 3, 9, 9, 0, tzinfo=VN))
    client.force_login(world["officer"])
    text = text_of(client.get(reverse("dossiers:pdf", args=[d.code, "giay-tiep-nhan"])).content)
    assert "BẢN IN LẠI" in text and "dựng lại" in text and "ngày 05/03/2026" in text and "09/03/2026" not in text
