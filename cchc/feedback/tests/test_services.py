import datetime as dt

import pytest

from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.feedback import access, services, workflow
from cchc.feedback.models import Status

from .conftest import routed, vn


def test_due_date_is_ten_working_days_after_the_day_of_receipt(file_one):
    fb = file_one(at=vn(2026, 3, 2, 16, 0))  # Monday
    assert fb.due_date == dt.date(2026, 3, 16)
    assert fb.classify_due == dt.date(2026, 3, 4)
    assert fb.answer_days == 10 and fb.calendar_stamp


def test_due_date_skips_public_holidays(file_one):
    # received Thu 27/08/2026; 02/09 (Quốc khánh) and the day next to it are days off
    fb = file_one(at=vn(2026, 8, 27))
    from cchc.calendar.services import calendar_for

    cal = calendar_for(fb.province)
    assert not cal.is_working_day(dt.date(2026, 9, 2))
    assert cal.working_days_between(dt.date(2026, 8, 28), fb.due_date) == 10
    assert fb.due_date > dt.date(2026, 9, 10)


def test_answer_days_come_from_the_setting(file_one, settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 5
    fb = file_one(at=vn(2026, 3, 2))
    assert (fb.due_date, fb.answer_days) == (dt.date(2026, 3, 9), 5)


def test_answered_on_the_due_day_late_evening_is_on_time(world, file_one):
    fb = routed(world, file_one(at=vn(2026, 3, 2)))
    fb = services.feedback_answer(actor=world["specialist"], feedback_id=fb.pk, answer="Đã xử lý.", at=vn(2026, 3, 16, 23, 59))
    assert fb.answered_on == fb.due_date
    ev = AuditEvent.objects.get(action="feedback.answer", object_id=fb.code)
    assert ev.data["on_time"] is True


def test_answered_the_day_after_the_due_day_just_after_midnight_is_late(world, file_one):
    fb = routed(world, file_one(at=vn(2026, 3, 2)))
    fb = services.feedback_answer(actor=world["specialist"], feedback_id=fb.pk, answer="Đã xử lý.", at=vn(2026, 3, 17, 0, 1))
    assert fb.answered_on == dt.date(2026, 3, 17) and fb.answered_on > fb.due_date
    assert AuditEvent.objects.get(action="feedback.answer", object_id=fb.code).data["on_time"] is False


def test_every_transition_is_audited(world, file_one):
    fb = routed(world, file_one())
    services.feedback_answer(actor=world["specialist"], feedback_id=fb.pk, answer="Trả lời")
    services.feedback_publish(actor=world["par"], feedback_id=fb.pk, public_summary="Phản ánh về việc chậm trả kết quả chứng thực.")
    actions = list(AuditEvent.objects.filter(object_id=fb.code).order_by("id").values_list("action", "from_state", "to_state"))
    assert actions == [
        ("feedback.file", "", "received"), ("feedback.classify", "received", "classified"), ("feedback.route", "classified", "routed"),
        ("feedback.answer", "routed", "answered"), ("feedback.publish", "answered", "published"),
    ]


@pytest.mark.parametrize("src", list(Status.values))
@pytest.mark.parametrize("dst", list(Status.values))
def test_transition_table_allows_only_the_listed_pairs(src, dst):
    expected = {
        ("received", "classified"), ("received", "rejected"), ("classified", "routed"), ("classified", "classified"),
        ("classified", "rejected"), ("routed", "routed"), ("routed", "answered"), ("routed", "rejected"), ("answered", "published"),
    }
    assert workflow.allowed(src, dst) == ((src, dst) in expected)


def test_cannot_answer_before_routing_nor_publish_before_answer(world, file_one):
    fb = file_one()
    with pytest.raises(ForbiddenError):  # not routed: no handling unit, the specialist has no business with it
        services.feedback_answer(actor=world["specialist"], feedback_id=fb.pk, answer="x")
    with pytest.raises(ConflictError):
        services.feedback_answer(actor=world["par"], feedback_id=fb.pk, answer="x")
    with pytest.raises(ConflictError):
        services.feedback_publish(actor=world["par"], feedback_id=fb.pk, public_summary="Tóm tắt")
    with pytest.raises(ConflictError):
        services.feedback_route(actor=world["par"], feedback_id=fb.pk, unit=world["justice"])


def test_only_the_par_office_of_the_province_triages(world, file_one):
    fb = file_one()
    for who in ("outsider", "leader", "head", "specialist", "citizen"):
        with pytest.raises(ForbiddenError):
            services.feedback_classify(actor=world[who], feedback_id=fb.pk, subject="procedure")
    assert services.feedback_classify(actor=world["par"], feedback_id=fb.pk, subject="conduct").status == Status.CLASSIFIED


def test_route_to_a_unit_of_another_province_is_refused(world, file_one):
    fb = file_one()
    services.feedback_classify(actor=world["par"], feedback_id=fb.pk, subject="procedure")
    from cchc.units.models import Unit

    with pytest.raises(DomainError) as e:
        services.feedback_route(actor=world["par"], feedback_id=fb.pk, unit=Unit.objects.get(code="T2-NV"))
    assert e.value.field == "unit"


def test_another_unit_cannot_answer(world, file_one):
    fb = routed(world, file_one())
    with pytest.raises(ForbiddenError):
        services.feedback_answer(actor=world["builder"], feedback_id=fb.pk, answer="x")


def test_reject_needs_a_reason_and_is_terminal(world, file_one):
    fb = file_one()
    with pytest.raises(DomainError) as e:
        services.feedback_reject(actor=world["par"], feedback_id=fb.pk, reason="  ")
    assert e.value.field == "reason"
    fb = services.feedback_reject(actor=world["par"], feedback_id=fb.pk, reason="Nội dung là khiếu nại, thực hiện theo Luật Khiếu nại.")
    assert fb.status == Status.REJECTED
    with pytest.raises(ConflictError):
        services.feedback_classify(actor=world["par"], feedback_id=fb.pk, subject="procedure")


def test_public_summary_must_not_carry_the_senders_personal_data(world, file_one):
    fb = routed(world, file_one())
    services.feedback_answer(actor=world["head"], feedback_id=fb.pk, answer="Đã chấn chỉnh.")
    for bad in ("Ông Nguyễn Văn Dân phản ánh chậm trễ", "Liên hệ 0912345678", "Gửi dan@example.vn", "CCCD 079201001234"):
        with pytest.raises(DomainError) as e:
            services.feedback_publish(actor=world["par"], feedback_id=fb.pk, public_summary=bad)
        assert e.value.field == "public_summary"
    assert Status(type(fb).objects.get(pk=fb.pk).status) == Status.ANSWERED  # nothing half-written
    fb = services.feedback_publish(actor=world["head"], feedback_id=fb.pk, public_summary="Người dân phản ánh chậm trả kết quả chứng thực.")
    assert fb.is_published and fb.status == Status.PUBLISHED


def test_a_specialist_of_the_handling_unit_cannot_publish(world, file_one):
    fb = routed(world, file_one())
    services.feedback_answer(actor=world["specialist"], feedback_id=fb.pk, answer="Đã xử lý.")
    with pytest.raises(ForbiddenError):
        services.feedback_publish(actor=world["specialist"], feedback_id=fb.pk, public_summary="Tóm tắt công khai.")


def test_citizen_may_only_cite_their_own_dossier(world, file_one):
    class FakeDossier:
        applicant_user_id = -1
        province_id = world["province"].pk
        procedure = None

    with pytest.raises(DomainError) as e:
        file_one(dossier=FakeDossier())
    assert e.value.field == "dossier"


def test_counter_entry_needs_a_name_and_a_contact(world):
    with pytest.raises(DomainError) as e:
        services.feedback_file(actor=world["officer"], province=world["province"], kind="kien_nghi", channel="counter",
                               title="Niêm yết", content="Đề nghị niêm yết phí.", sender_name="")
    assert e.value.field == "sender_name"
    with pytest.raises(DomainError) as e:
        services.feedback_file(actor=world["officer"], province=world["province"], kind="kien_nghi", channel="counter",
                               title="Niêm yết", content="Đề nghị niêm yết phí.", sender_name="Lê Văn Ba")
    assert e.value.field == "sender_phone"
    with pytest.raises(DomainError) as e:
        services.feedback_file(actor=world["officer"], province=world["province"], kind="kien_nghi", channel="portal",
                               title="Niêm yết", content="x", sender_name="Lê Văn Ba", sender_phone="0909")
    assert e.value.field == "channel"
    with pytest.raises(ForbiddenError):
        services.feedback_file(actor=world["outsider"], province=world["province"], kind="kien_nghi", channel="counter",
                               title="Niêm yết", content="x", sender_name="Lê Văn Ba", sender_phone="0909")


def test_bad_kind_names_the_field(world, file_one):
    with pytest.raises(DomainError) as e:
        file_one(kind="khieu_nai")
    assert e.value.field == "kind"


def test_personal_data_visible_to_sender_handling_unit_and_par_office_only(world, file_one):
    fb = routed(world, file_one())
    for who in ("citizen", "specialist", "head", "par"):
        assert access.personal(world[who], fb)["sender_phone"] == "0912345678", who
    for who in ("leader", "builder", "officer", "outsider", "citizen2"):
        assert access.personal(world[who], fb)["sender_phone"] == access.MASK, who


def test_lists_show_only_what_you_may_see(world, file_one):
    from cchc.feedback.models import Feedback

    mine = routed(world, file_one())
    theirs = file_one(actor=world["citizen2"])
    qs = Feedback.objects.all()
    assert set(access.visible_feedback(qs, world["citizen"])) == {mine}
    assert set(access.visible_feedback(qs, world["citizen2"])) == {theirs}
    assert set(access.visible_feedback(qs, world["par"])) == {mine, theirs}
    assert set(access.visible_feedback(qs, world["leader"])) == {mine, theirs}
    assert set(access.visible_feedback(qs, world["specialist"])) == {mine}
    assert set(access.visible_feedback(qs, world["builder"])) == set()
    assert set(access.visible_feedback(qs, world["outsider"])) == set()


def test_dialogue_issue_becomes_feedback_with_channel_dialogue(world):
    d = services.dialogue_record(
        actor=world["par"], unit=world["commune"], held_on=dt.date(2026, 5, 20), title="Đối thoại với Nhân dân xã Một",
        chaired_by="Chủ tịch UBND xã", participants_count=120, location="Hội trường xã",
        issues=[{"raised_by": "Ông Ba", "content": "Cấp giấy chứng nhận quyền sử dụng đất chậm.", "answer": "Sẽ kiểm tra.", "as_feedback": True},
                {"content": "Đường vào trụ sở hẹp.", "answer": "Đã đưa vào kế hoạch."}],
        follow_ups=[{"content": "Rà soát hồ sơ đất đai trễ hạn", "unit": world["commune"], "deadline": "2026-06-30"}],
    )
    assert d.issues.count() == 2 and d.follow_ups.count() == 1
    fb = d.issues.first().feedback
    assert fb.channel == "dialogue" and fb.sender_name == "Ông Ba"
    assert AuditEvent.objects.filter(action="dialogue.record").count() == 1


def test_dialogue_rules(world):
    with pytest.raises(ForbiddenError):
        services.dialogue_record(actor=world["specialist"], unit=world["justice"], held_on="2026-05-01", title="x", chaired_by="y")
    with pytest.raises(DomainError) as e:
        services.dialogue_record(actor=world["head"], unit=world["justice"], held_on="2099-01-01", title="x", chaired_by="y")
    assert e.value.field == "held_on"
    with pytest.raises(DomainError) as e:
        services.dialogue_record(actor=world["head"], unit=world["justice"], held_on="2026-05-01", title="x", chaired_by="y",
                                 follow_ups=[{"content": "z", "unit": "T2-NV", "deadline": "2026-06-01"}])
    assert e.value.field == "follow_ups[0].unit"
    from cchc.feedback.models import Dialogue

    assert Dialogue.objects.count() == 0  # nothing half-written
