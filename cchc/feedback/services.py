"""Feedback and dialogue use cases: one transaction each, the row locked, the transition checked, the audit row written.

Time limits (docs/feedback.md): the answer is due `FEEDBACK_ANSWER_WORKING_DAYS` working days after the day of receipt,
classification/transfer `FEEDBACK_CLASSIFY_WORKING_DAYS` working days after it, counted on the province's working
calendar (`cchc.calendar`). Both numbers are settings because the articles could not be confirmed (UNCONFIRMED).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.calendar.services import calendar_for
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError

from . import access, workflow
from .models import Channel, Dialogue, DialogueFollowUp, DialogueIssue, Feedback, Kind, Status, Subject

MAX_TEXT = 10_000


def answer_days() -> int:
    return int(getattr(settings, "FEEDBACK_ANSWER_WORKING_DAYS", 10))


def classify_days() -> int:
    return int(getattr(settings, "FEEDBACK_CLASSIFY_WORKING_DAYS", 2))


def local_date(t: dt.datetime) -> dt.date:
    return timezone.localtime(t).date()


def deadlines(*, province, received_at: dt.datetime) -> dict:
    """Hạn phân loại and hạn trả lời: n-th working day strictly after the day of receipt (the receipt day is not counted)."""
    cal = calendar_for(province)
    day = local_date(received_at)
    n = answer_days()
    return {
        "classify_due": cal.nth_working_day_after(day, classify_days()),
        "due_date": cal.nth_working_day_after(day, n),
        "answer_days": n,
        "calendar_stamp": cal.fingerprint[:80],
    }


def _text(value, field: str, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise DomainError(f"{field}: bắt buộc, không được để trống.", code="required", field=field)
    if len(value) > max_length:
        raise DomainError(f"{field}: tối đa {max_length:_} ký tự.".replace("_", "."), code="max_length", field=field)
    return value


def _choice(value, choices, field: str, *, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise DomainError(f"{field}: giá trị không hợp lệ «{value}» (chọn một trong: {allowed}).", code="invalid_choice", field=field)
    return value


def _next_code(province, year: int) -> str:
    prefix = f"PAKN-{province.code}-{year}-"
    last = Feedback.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:05d}"


def _staff_province(actor):
    unit = getattr(actor, "unit", None)
    return unit.province_unit if unit is not None else None


@transaction.atomic
def feedback_file(
    *,
    actor,
    province,
    kind: str,
    title: str,
    content: str,
    channel: str = Channel.PORTAL,
    sender_name: str = "",
    sender_phone: str = "",
    sender_email: str = "",
    sender_address: str = "",
    sender_id_number: str = "",
    sender_is_organisation: bool = False,
    procedure=None,
    dossier=None,
    received_at: dt.datetime | None = None,
    dialogue_issue=None,
) -> Feedback:
    """Gửi / tiếp nhận phản ánh, kiến nghị.

    A citizen files on the portal for themselves (sender = their account; a dossier must be theirs). Staff of the
    province enter feedback received at the counter, by hotline, by mail or at a dialogue, with the sender's details.
    Anonymous feedback is not accepted: the sender's name and a way to answer are required (docs/feedback.md).
    """
    if province is None:
        raise DomainError("province: bắt buộc.", field="province")
    kind = _choice(kind, Kind, "kind")
    channel = _choice(channel, Channel, "channel")
    title = _text(title, "title", max_length=300)
    content = _text(content, "content")
    role = Role.SYSTEM_ADMIN if getattr(actor, "is_superuser", False) else getattr(actor, "role", None)
    sender_user = None
    if role == Role.CITIZEN:
        if channel != Channel.PORTAL:
            raise DomainError("channel: người dân gửi qua Cổng dịch vụ công (portal).", field="channel")
        sender_user = actor
        sender_name = actor.display_name()
        sender_phone = sender_phone or actor.phone
        sender_email = sender_email or actor.email
        sender_id_number = sender_id_number or actor.id_number
        sender_is_organisation = actor.is_organisation
        if dossier is not None and dossier.applicant_user_id != actor.pk:
            raise DomainError("dossier: chỉ phản ánh về hồ sơ của chính mình.", code="not_owner", field="dossier")
    elif role in {Role.ONE_STOP_OFFICER, Role.SPECIALIST, Role.UNIT_HEAD, Role.PAR_OFFICE, Role.SYSTEM_ADMIN}:
        if role != Role.SYSTEM_ADMIN and _staff_province(actor) != province:
            raise ForbiddenError("Chỉ tiếp nhận phản ánh, kiến nghị của tỉnh mình.")
        if channel == Channel.PORTAL:
            raise DomainError("channel: cán bộ nhập phản ánh nhận tại quầy, đường dây nóng, thư hoặc hội nghị đối thoại.", field="channel")
    else:
        raise ForbiddenError("Không có quyền gửi phản ánh, kiến nghị.")
    sender_name = _text(sender_name, "sender_name", max_length=255)
    sender_phone = _text(sender_phone, "sender_phone", required=False, max_length=20)
    sender_email = _text(sender_email, "sender_email", required=False, max_length=254)
    sender_address = _text(sender_address, "sender_address", required=False, max_length=500)
    sender_id_number = _text(sender_id_number, "sender_id_number", required=False, max_length=20)
    if not (sender_phone or sender_email or sender_address or sender_user):
        raise DomainError("sender_phone: cần ít nhất một cách liên lạc (điện thoại, thư điện tử hoặc địa chỉ) để trả lời.",
                          code="contact_required", field="sender_phone")
    if dossier is not None:
        if dossier.province_id != province.pk:
            raise DomainError("dossier: hồ sơ không thuộc tỉnh này.", field="dossier")
        procedure = procedure or dossier.procedure
    received_at = received_at or timezone.now()
    fb = Feedback.objects.create(
        code=_next_code(province, local_date(received_at).year), province=province, kind=kind, channel=channel,
        title=title, content=content, sender_user=sender_user, sender_name=sender_name, sender_phone=sender_phone,
        sender_email=sender_email, sender_address=sender_address, sender_id_number=sender_id_number,
        sender_is_organisation=bool(sender_is_organisation), procedure=procedure, dossier=dossier,
        field=(procedure.field if procedure is not None else "")[:255], subject=Subject.PROCEDURE if procedure else "",
        received_at=received_at, created_by=actor if getattr(actor, "pk", None) else None, dialogue_issue=dialogue_issue,
        **deadlines(province=province, received_at=received_at),
    )
    audit_record(actor=actor, action="feedback.file", obj=fb, to_state=fb.status,
                 data={"channel": channel, "kind": kind, "due_date": fb.due_date.isoformat()}, at=received_at)
    return fb


def _locked(fb_id: int) -> Feedback:
    fb = Feedback.objects.select_for_update().filter(pk=fb_id).first()
    if fb is None:
        raise DomainError("Không tìm thấy phản ánh.", code="not_found")
    return fb


def _move(fb: Feedback, to_state: str) -> str:
    before = fb.status
    if not workflow.allowed(before, to_state):
        raise ConflictError(
            f"status: không thể chuyển từ «{Status(before).label}» sang «{Status(to_state).label}».", field="status"
        )
    fb.status = to_state
    return before


@transaction.atomic
def feedback_classify(*, actor, feedback_id: int, subject: str, field: str = "", kind: str | None = None, at=None) -> Feedback:
    """Phân loại: about a procedure, a regulation or an official's conduct; the field (lĩnh vực)."""
    fb = _locked(feedback_id)
    if not access.can_triage(actor, fb):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC của tỉnh được phân loại phản ánh.")
    subject = _choice(subject, Subject, "subject")
    if kind:
        fb.kind = _choice(kind, Kind, "kind")
    before = _move(fb, Status.CLASSIFIED)
    fb.subject = subject
    fb.field = _text(field, "field", required=False, max_length=255) or fb.field
    fb.classified_at = at or timezone.now()
    fb.save()
    audit_record(actor=actor, action="feedback.classify", obj=fb, from_state=before, to_state=fb.status,
                 data={"subject": subject, "field": fb.field, "kind": fb.kind}, at=at)
    return fb


@transaction.atomic
def feedback_route(*, actor, feedback_id: int, unit, at=None, note: str = "") -> Feedback:
    """Chuyển đơn vị xử lý: a unit of the same province; may be re-routed before it is answered."""
    fb = _locked(feedback_id)
    if not access.can_triage(actor, fb):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC của tỉnh được chuyển phản ánh.")
    if unit is None:
        raise DomainError("unit: bắt buộc chọn đơn vị xử lý.", code="required", field="unit")
    if unit.province_unit.pk != fb.province_id or not unit.is_active:
        raise DomainError("unit: đơn vị xử lý phải là đơn vị đang hoạt động của tỉnh.", field="unit")
    if fb.status == Status.RECEIVED:
        raise ConflictError("status: cần phân loại trước khi chuyển đơn vị xử lý.", field="status")
    before = _move(fb, Status.ROUTED)
    previous_unit = fb.unit_id
    fb.unit = unit
    fb.routed_at = at or timezone.now()
    fb.save()
    audit_record(actor=actor, action="feedback.route", obj=fb, from_state=before, to_state=fb.status,
                 reason=_text(note, "note", required=False), data={"unit": unit.code, "previous_unit_id": previous_unit}, at=at)
    return fb


@transaction.atomic
def feedback_answer(*, actor, feedback_id: int, answer: str, at=None) -> Feedback:
    """Trả lời: the handling unit answers; on time when answered on or before the due day (Vietnam time)."""
    fb = _locked(feedback_id)
    if not access.can_answer(actor, fb):
        raise ForbiddenError("Chỉ đơn vị được giao xử lý (hoặc cơ quan thường trực CCHC) được trả lời phản ánh.")
    answer = _text(answer, "answer")
    before = _move(fb, Status.ANSWERED)
    fb.answer = answer
    fb.answered_by = actor
    fb.answered_at = at or timezone.now()
    fb.answered_on = local_date(fb.answered_at)
    fb.save()
    audit_record(actor=actor, action="feedback.answer", obj=fb, from_state=before, to_state=fb.status,
                 data={"on_time": fb.answered_on <= fb.due_date, "due_date": fb.due_date.isoformat()}, at=at)
    return fb


@transaction.atomic
def feedback_reject(*, actor, feedback_id: int, reason: str, at=None) -> Feedback:
    """Không thuộc phạm vi: e.g. a complaint or denunciation (khiếu nại, tố cáo — other laws), with the reason."""
    fb = _locked(feedback_id)
    if not access.can_triage(actor, fb):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC của tỉnh được từ chối xử lý phản ánh.")
    reason = _text(reason, "reason")
    before = _move(fb, Status.REJECTED)
    fb.reject_reason = reason
    fb.answered_at = at or timezone.now()
    fb.answered_on = local_date(fb.answered_at)
    fb.save()
    audit_record(actor=actor, action="feedback.reject", obj=fb, from_state=before, to_state=fb.status, reason=reason, at=at)
    return fb


def _check_summary(fb: Feedback, summary: str) -> None:
    """The public summary carries no personal data: none of the sender's name, phone, e-mail, ID number."""
    folded = summary.casefold()
    for field in ("sender_name", "sender_phone", "sender_email", "sender_id_number"):
        value = (getattr(fb, field) or "").strip()
        if len(value) >= 4 and value.casefold() in folded:
            raise DomainError("public_summary: tóm tắt công khai không được chứa thông tin cá nhân của người gửi "
                              "(họ tên, điện thoại, thư điện tử, số định danh).", code="personal_data", field="public_summary")
    digits = "".join(ch if ch.isdigit() else " " for ch in summary).split()
    if any(len(d) >= 9 for d in digits):
        raise DomainError("public_summary: không ghi số điện thoại, số định danh trong tóm tắt công khai.",
                          code="personal_data", field="public_summary")


@transaction.atomic
def feedback_publish(*, actor, feedback_id: int, public_summary: str, at=None) -> Feedback:
    """Công khai kết quả: an answered feedback, with a summary free of personal data, on the public page."""
    fb = _locked(feedback_id)
    if not access.can_publish(actor, fb):
        raise ForbiddenError("Chỉ cơ quan thường trực CCHC hoặc người đứng đầu đơn vị xử lý được công khai.")
    summary = _text(public_summary, "public_summary", max_length=3000)
    _check_summary(fb, summary)
    before = _move(fb, Status.PUBLISHED)
    fb.public_summary = summary
    fb.is_published = True
    fb.published_at = at or timezone.now()
    fb.save()
    audit_record(actor=actor, action="feedback.publish", obj=fb, from_state=before, to_state=fb.status, at=at)
    return fb


# ------------------------------------------------------------------ dialogues
def _positive_int(value, field: str) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{field}: phải là số nguyên không âm.", field=field) from None
    if n < 0:
        raise DomainError(f"{field}: phải là số nguyên không âm.", field=field)
    return n


def _date(value, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(f"{field}: ngày không hợp lệ (YYYY-MM-DD).", field=field) from None


@transaction.atomic
def dialogue_record(*, actor, unit, held_on, title: str, chaired_by: str, participants_count=0, location: str = "",
                    summary: str = "", issues: list[dict] | None = None, follow_ups: list[dict] | None = None,
                    file_issues_as_feedback: bool = False) -> Dialogue:
    """Ghi nhận hội nghị đối thoại with its issues and follow-up tasks; issues may become feedback (channel dialogue)."""
    if unit is None:
        raise DomainError("unit: bắt buộc.", code="required", field="unit")
    if not access.can_manage_dialogues(actor, unit):
        raise ForbiddenError("Chỉ người đứng đầu đơn vị hoặc cơ quan thường trực CCHC được ghi nhận hội nghị đối thoại.")
    held_on = _date(held_on, "held_on")
    if held_on > timezone.localdate():
        raise DomainError("held_on: chỉ ghi nhận hội nghị đã diễn ra (không sau hôm nay).", field="held_on")
    province = unit.province_unit
    d = Dialogue.objects.create(
        province=province, unit=unit, held_on=held_on, title=_text(title, "title", max_length=300),
        chaired_by=_text(chaired_by, "chaired_by", max_length=255), location=_text(location, "location", required=False, max_length=255),
        participants_count=_positive_int(participants_count, "participants_count"), summary=_text(summary, "summary", required=False),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for i, item in enumerate(issues or []):
        issue = DialogueIssue.objects.create(
            dialogue=d, raised_by=_text(item.get("raised_by"), f"issues[{i}].raised_by", required=False, max_length=255),
            content=_text(item.get("content"), f"issues[{i}].content"), answer=_text(item.get("answer"), f"issues[{i}].answer", required=False),
        )
        if file_issues_as_feedback or item.get("as_feedback"):
            feedback_file(
                actor=actor, province=province, kind=item.get("kind") or Kind.RECOMMENDATION, channel=Channel.DIALOGUE,
                title=_text(item.get("title") or issue.content[:120], f"issues[{i}].title", max_length=300), content=issue.content,
                sender_name=issue.raised_by or "Người dân tại hội nghị đối thoại", sender_address=item.get("sender_address") or d.location or unit.name,
                received_at=timezone.make_aware(dt.datetime.combine(held_on, dt.time(16, 0))), dialogue_issue=issue,
            )
    from cchc.units.models import Unit

    for i, item in enumerate(follow_ups or []):
        fu_unit = item.get("unit")
        if not isinstance(fu_unit, Unit):
            fu_unit = Unit.objects.filter(pk=fu_unit).first() if str(fu_unit or "").isdigit() else Unit.objects.filter(code=fu_unit).first()
        if fu_unit is None or fu_unit.province_unit.pk != province.pk:
            raise DomainError(f"follow_ups[{i}].unit: đơn vị thực hiện phải thuộc tỉnh.", field=f"follow_ups[{i}].unit")
        DialogueFollowUp.objects.create(
            dialogue=d, content=_text(item.get("content"), f"follow_ups[{i}].content"), unit=fu_unit,
            deadline=_date(item.get("deadline"), f"follow_ups[{i}].deadline"),
        )
    audit_record(actor=actor, action="dialogue.record", obj=d, data={
        "unit": unit.code, "held_on": held_on.isoformat(), "issues": d.issues.count(), "follow_ups": d.follow_ups.count()})
    return d


@transaction.atomic
def follow_up_done(*, actor, follow_up_id: int, done_on) -> DialogueFollowUp:
    fu = DialogueFollowUp.objects.select_for_update().select_related("dialogue", "unit").filter(pk=follow_up_id).first()
    if fu is None:
        raise DomainError("Không tìm thấy nhiệm vụ.", code="not_found")
    if not (access.can_manage_dialogues(actor, fu.dialogue.unit) or access.can_manage_dialogues(actor, fu.unit)):
        raise ForbiddenError("Không có quyền cập nhật nhiệm vụ này.")
    done = _date(done_on, "done_on")
    if done < fu.dialogue.held_on:
        raise DomainError("done_on: không trước ngày tổ chức hội nghị.", field="done_on")
    fu.done_on = done
    fu.save(update_fields=["done_on"])
    audit_record(actor=actor, action="dialogue.follow_up_done", obj=fu, data={"done_on": done.isoformat(), "deadline": fu.deadline.isoformat()})
    return fu
