"""Dossier services: intake, clock, pauses, apologies, hand-overs, optimistic locking, audit."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cchc.core.audit import audit_verify
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierStep
from cchc.dossiers.selectors import dossier_statistics, late_steps_by

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday


def receive(world, at=MON, **kw):
    kw.setdefault("procedure_code", world["procedure"].code)
    kw.setdefault("unit_code", world["centre"].code)
    kw.setdefault("channel", "counter")
    kw.setdefault("applicant", applicant())
    return services.dossier_receive(actor=kw.pop("actor", world["officer"]), received_at=at, **kw)


def act(world, d, action, at, actor=None, **kw):
    d.refresh_from_db()
    return services.dossier_transition(dossier=d, action=action, actor=actor or world["officer"], version=d.version, at=at, **kw)


def test_receiving_a_dossier_gives_a_national_code_a_token_and_a_due_time_from_the_calendar(world):
    d = receive(world)
    assert re.fullmatch(r"H99\.01-260302-\d{4}", d.code)
    assert d.code.endswith("-0001")
    assert len(d.lookup_token) >= 8 and set(d.lookup_token) <= set(services.TOKEN_ALPHABET)
    assert d.status == wf.RECEIVED and d.version == 1
    assert d.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # 3 working days, same clock time
    assert d.counted_from == MON
    assert d.province_procedure == world["pp"]
    assert d.calendar_stamp
    assert d.handling_unit == world["dept"]
    assert d.payment_status == "unpaid" and d.fee_amount == 200000


def test_the_sequence_counts_per_agency_per_day(world):
    a = receive(world)
    b = receive(world, at=MON + timedelta(hours=1))
    c = receive(world, at=MON + timedelta(days=1))
    other = receive(world, unit_code=world["desk"].code, procedure_code=world["commune_procedure"].code,
                    actor=world["desk_officer"])
    assert [a.code[-4:], b.code[-4:], c.code[-4:]] == ["0001", "0002", "0001"]
    assert c.code.startswith("H99.01-260303-")
    assert other.code == "H99.50.01-260302-0001"


def test_a_dossier_received_after_closing_before_a_weekend_counts_from_monday(world):
    friday_evening = datetime(2026, 3, 6, 17, 30, tzinfo=VN)
    d = receive(world, at=friday_evening)
    assert d.counted_from == datetime(2026, 3, 9, 7, 30, tzinfo=VN)
    assert d.due_at >= d.counted_from >= d.received_at


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"procedure_code": "0.000000"}, "procedure_code", "unknown_procedure"),
        ({"unit_code": "NOPE"}, "unit_code", "unknown_unit"),
        ({"procedure_code": "9.999999"}, "procedure_code", "not_published"),
        ({"channel": "pigeon"}, "channel", "invalid_choice"),
        ({"applicant": applicant(name="")}, "applicant.name", "required"),
        ({"applicant": applicant(kind="robot")}, "applicant.kind", "invalid_choice"),
        ({"applicant": applicant(id_number="12AB")}, "applicant.id_number", "invalid_id_number"),
        ({"applicant": applicant(phone="12")}, "applicant.phone", "invalid_phone"),
        ({"applicant": applicant(email="not-an-email")}, "applicant.email", "invalid_email"),
        ({"result_channel": "carrier"}, "result_channel", "invalid_choice"),
    ],
)
def test_bad_intake_input_is_refused_naming_the_field_and_nothing_is_written(world, change, field, code):
    with pytest.raises(DomainError) as exc:
        receive(world, **change)
    assert exc.value.field == field and exc.value.code == code
    assert Dossier.objects.count() == 0


def test_received_at_may_not_be_in_the_future_nor_before_publication(world):
    with pytest.raises(DomainError) as exc:
        receive(world, at=timezone.now() + timedelta(hours=2))
    assert exc.value.field == "received_at" and exc.value.code == "in_future"
    with pytest.raises(DomainError) as exc:
        receive(world, at=datetime(2019, 6, 3, 9, 0, tzinfo=VN))
    assert exc.value.field == "received_at" and exc.value.code == "before_publication"


def test_province_procedures_are_not_published_at_a_commune_desk_and_vice_versa(world):
    with pytest.raises(DomainError) as exc:
        receive(world, unit_code=world["desk"].code, actor=world["desk_officer"])
    assert exc.value.code == "not_published"
    with pytest.raises(DomainError):
        receive(world, procedure_code=world["commune_procedure"].code)


def test_a_caller_without_process_permission_at_the_unit_is_forbidden(world):
    with pytest.raises(ForbiddenError):
        receive(world, actor=world["other_officer"])
    with pytest.raises(ForbiddenError):
        receive(world, actor=world["leader"])  # leaders view, they do not receive


def test_an_online_submission_waits_for_the_desk_and_its_clock_starts_when_accepted(world):
    d = services.dossier_submit_online(procedure_code=world["procedure"].code, unit_code=world["centre"].code,
                                       applicant=applicant(), now=MON)
    assert d.status == wf.WAITING_ACCEPTANCE and d.due_at is None and d.received_at is None
    accepted = act(world, d, wf.ACCEPT, MON + timedelta(days=1))
    assert accepted.status == wf.RECEIVED
    assert accepted.received_at == MON + timedelta(days=1)
    assert accepted.due_at == datetime(2026, 3, 6, 9, 0, tzinfo=VN)


def test_supplement_request_pauses_the_clock_and_the_due_moves_by_the_paused_working_time(world):
    d = receive(world)
    d = act(world, d, wf.ASSIGN, MON + timedelta(hours=1), assignee="chuyenvien")
    due = d.due_at
    d = act(world, d, wf.REQUEST_SUPPLEMENT, MON + timedelta(hours=2), reason="Thiếu bản sao CCCD")
    assert d.status == wf.SUPPLEMENT_REQUESTED and d.supplement_count == 1
    d = act(world, d, wf.SUPPLY, datetime(2026, 3, 3, 11, 0, tzinfo=VN))  # next day 11:00
    assert d.status == wf.IN_PROCESS
    cal = services.get_calendar(d.province)
    paused = cal.working_seconds_between(MON + timedelta(hours=2), datetime(2026, 3, 3, 11, 0, tzinfo=VN))
    assert d.due_at == cal.add_working_seconds(due, paused)
    assert d.due_at > due
    pause = d.pauses.get()
    assert pause.working_seconds == paused and pause.reason == "Thiếu bản sao CCCD"
    step = d.steps.get()
    assert step.due_at == d.due_at  # the open step moved with the dossier


def test_supplement_may_be_requested_only_once_and_needs_a_reason(world):
    d = receive(world)
    with pytest.raises(DomainError) as exc:
        act(world, d, wf.REQUEST_SUPPLEMENT, MON + timedelta(hours=1), reason="")
    assert exc.value.field == "reason"
    d = act(world, d, wf.REQUEST_SUPPLEMENT, MON + timedelta(hours=1), reason="Thiếu tờ khai")
    d = act(world, d, wf.SUPPLY, MON + timedelta(hours=3))
    assert d.status == wf.RECEIVED
    with pytest.raises(ConflictError) as exc:
        act(world, d, wf.REQUEST_SUPPLEMENT, MON + timedelta(hours=4), reason="Lần hai")
    assert exc.value.code == "supplement_already_requested"


def test_an_action_not_allowed_from_the_state_is_a_conflict(world):
    d = receive(world)
    with pytest.raises(ConflictError) as exc:
        act(world, d, wf.RETURN, MON + timedelta(hours=1))
    assert exc.value.code == "transition_not_allowed"
    assert "Mới tiếp nhận" in exc.value.message


def test_a_stale_version_is_a_conflict_naming_who_changed_it(world):
    d = receive(world)
    services.dossier_transition(dossier=d, action=wf.ASSIGN, actor=world["officer"], version=1, at=MON + timedelta(hours=1))
    with pytest.raises(ConflictError) as exc:
        services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["specialist"], version=1, at=MON + timedelta(hours=2))
    assert exc.value.code == "stale_version"
    assert "motcua" in exc.value.message
    assert exc.value.extra["current_version"] == 2


def test_every_change_increments_the_version_and_writes_one_chained_audit_event(world):
    d = receive(world)
    d = act(world, d, wf.ASSIGN, MON + timedelta(hours=1), assignee="chuyenvien")
    d = act(world, d, wf.COMPLETE, MON + timedelta(hours=5), actor=world["specialist"])
    d = act(world, d, wf.RETURN, MON + timedelta(days=1))
    assert d.status == wf.RETURNED and d.version == 4
    events = list(AuditEvent.objects.filter(object_id=d.code).order_by("id"))
    assert [e.action for e in events] == ["dossier.receive", "dossier.assign", "dossier.complete", "dossier.return"]
    assert [(e.from_state, e.to_state) for e in events[1:]] == [
        (wf.RECEIVED, wf.IN_PROCESS), (wf.IN_PROCESS, wf.RESULT_READY), (wf.RESULT_READY, wf.RETURNED)]
    assert audit_verify().ok


def test_a_late_dossier_is_returned_late_and_an_apology_does_not_erase_the_lateness(world):
    d = receive(world)
    d = act(world, d, wf.APOLOGISE, MON + timedelta(days=2), reason="Chờ xác minh của cơ quan công an",
            new_due_at="2026-03-10T09:00:00+07:00")
    assert d.promised_at == datetime(2026, 3, 10, 9, 0, tzinfo=VN)
    assert d.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # unchanged
    d = act(world, d, wf.COMPLETE, datetime(2026, 3, 9, 10, 0, tzinfo=VN))
    d = act(world, d, wf.RETURN, datetime(2026, 3, 9, 15, 0, tzinfo=VN))
    assert d.status == wf.RETURNED_LATE
    [row] = dossier_statistics(date_from=datetime(2026, 3, 1).date(), date_to=datetime(2026, 3, 31).date(), group_by=())
    assert row["settled_late"] == 1 and row["apology_issued"] == 1 and row["on_time_rate"] == 0.0


def test_an_apology_needs_a_new_date_after_the_current_due_time(world):
    d = receive(world)
    with pytest.raises(DomainError) as exc:
        act(world, d, wf.APOLOGISE, MON + timedelta(hours=1), reason="Trễ", new_due_at="2026-03-04T09:00:00+07:00")
    assert exc.value.field == "new_due_at"
    # after the due time the letter is still allowed (marked late: tests/test_apologies.py)
    d = act(world, d, wf.APOLOGISE, datetime(2026, 3, 5, 10, 0, tzinfo=VN), reason="Trễ", new_due_at="2026-03-12T09:00:00+07:00")
    assert d.apologies.get().issued_late


def test_hand_overs_are_recorded_with_their_own_allowance_and_lateness_is_attributed(world):
    d = receive(world)
    d = act(world, d, wf.ASSIGN, MON + timedelta(minutes=30), assignee="chuyenvien", step_allowance="1")
    first = d.steps.get(seq=1)
    assert first.to_user == world["specialist"] and first.due_at == datetime(2026, 3, 3, 9, 30, tzinfo=VN)
    # the specialist hands over two days later: step 1 was late
    d = act(world, d, wf.HANDOVER, datetime(2026, 3, 4, 9, 0, tzinfo=VN), actor=world["specialist"], assignee="chuyenvien2")
    first.refresh_from_db()
    assert first.finished_at is not None and first.on_time is False
    d = act(world, d, wf.COMPLETE, datetime(2026, 3, 4, 10, 0, tzinfo=VN), actor=world["specialist2"])
    assert DossierStep.objects.get(dossier=d, seq=2).on_time is True
    by_person = {r["person"]: r for r in late_steps_by(by="person", date_from=MON.date(), date_to=MON.date() + timedelta(days=30))}
    assert by_person["chuyenvien"]["late"] == 1 and by_person["chuyenvien2"]["late"] == 0
    by_unit = late_steps_by(by="unit", date_from=MON.date(), date_to=MON.date() + timedelta(days=30))
    assert by_unit[0]["unit"] == world["dept"].code and by_unit[0]["late"] == 1


def test_a_step_allowance_beyond_the_dossier_due_is_refused(world):
    d = receive(world)
    with pytest.raises(DomainError) as exc:
        act(world, d, wf.ASSIGN, MON + timedelta(minutes=30), step_allowance="5")
    assert exc.value.field == "step_allowance" and exc.value.code == "step_exceeds_due"


def test_an_assignee_outside_the_handling_unit_is_refused(world):
    d = receive(world)
    with pytest.raises(DomainError) as exc:
        act(world, d, wf.ASSIGN, MON + timedelta(minutes=30), assignee="motcua.khac")
    assert exc.value.field == "assignee"


def test_reject_and_withdraw_close_the_dossier_with_the_reason(world):
    d = receive(world)
    d = act(world, d, wf.REJECT, MON + timedelta(hours=1), reason="Không thuộc thẩm quyền (khoản 2 Điều 9)")
    assert d.status == wf.REJECTED and d.closed_at and "thẩm quyền" in d.status_reason
    e = receive(world)
    e = act(world, e, wf.PAUSE, MON + timedelta(hours=1), reason="Chờ nộp nghĩa vụ tài chính")
    e = act(world, e, wf.WITHDRAW, MON + timedelta(hours=2))
    assert e.status == wf.WITHDRAWN and e.pauses.get().ended_at is not None


def _pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_uploaded_pdf_is_stored_under_a_generated_name_with_its_sha256(world, settings):
    d = receive(world)
    doc = services.dossier_attach_document(dossier=d, actor=world["officer"],
                                           uploaded_file=SimpleUploadedFile("don.pdf", _pdf_bytes()), name="Tờ khai")
    assert doc.content_type == "application/pdf" and len(doc.sha256) == 64
    assert doc.file_path.endswith(".pdf") and "don" not in doc.file_path
    assert (settings.MEDIA_ROOT / doc.file_path).read_bytes() == _pdf_bytes()
    d.refresh_from_db()
    assert d.has_electronic_documents and d.version == 2


def test_uploads_are_checked_by_content_and_size(world, monkeypatch):
    d = receive(world)
    with pytest.raises(DomainError) as exc:
        services.dossier_attach_document(dossier=d, actor=world["officer"],
                                         uploaded_file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all"))
    assert exc.value.code == "bad_type"
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(DomainError) as exc:
        services.dossier_attach_document(dossier=d, actor=world["officer"], uploaded_file=SimpleUploadedFile("a.pdf", _pdf_bytes()))
    assert exc.value.code == "too_large"


def test_online_submission_needs_an_online_service_but_the_desk_may_record_any_channel(world):
    world["pp"].online_level = "none"
    world["pp"].save()
    d = receive(world, channel="online")
    assert d.channel == "online" and d.result_channel == "online"
    with pytest.raises(DomainError) as exc:
        services.dossier_submit_online(procedure_code=world["procedure"].code, unit_code=world["centre"].code,
                                       applicant=applicant())
    assert exc.value.field == "channel" and exc.value.code == "channel_not_offered"


@pytest.mark.parametrize("id_number", ["001090012345", "123456789", "B1234567", "c12345678"])
def test_personal_ids_accept_cccd_old_cmnd_and_passport_numbers(world, id_number):
    d = receive(world, applicant=applicant(id_number=id_number, phone="091-234-5678"))
    assert d.applicant_id_number == id_number and d.applicant_phone == "0912345678"
