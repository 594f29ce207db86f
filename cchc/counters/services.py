"""Queue services (lấy số thứ tự): issue a ticket (kiosk or online appointment), and the counter officer's actions.

Every write is one transaction that locks what it changes and writes its audit event:
- numbering locks the day's `TicketSequence` row of the field group (select_for_update; on SQLite the
  IMMEDIATE transaction mode takes the write lock at BEGIN), so two kiosks never get the same number;
- a counter action locks the ticket row and checks its `version`: of two officers acting on the same ticket
  at once, one wins and the other gets 409 (ConflictError), nothing half-written.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from . import selectors
from .models import ACTIVE_STATUSES, Channel, Counter, FieldGroup, Ticket, TicketSequence, TicketStatus
from .workflow import check_transition

BOOKING_DAYS_AHEAD = 14  # online appointments: today up to 14 calendar days ahead (choice, docs/counters.md)
MAX_ACTIVE_APPOINTMENTS_PER_CITIZEN = 3


def _now(now: datetime | None) -> datetime:
    return timezone.localtime(now or timezone.now())


def _next_number(group: FieldGroup, day: date) -> int:
    """Take the next number of `group` on `day` under a row lock (race-free on PostgreSQL and SQLite)."""
    try:
        with transaction.atomic():
            TicketSequence.objects.get_or_create(group=group, day=day)
    except IntegrityError:  # another kiosk created the row at the same instant: it exists now
        pass
    seq = TicketSequence.objects.select_for_update().get(group=group, day=day)
    TicketSequence.objects.filter(pk=seq.pk).update(last_number=F("last_number") + 1)
    seq.refresh_from_db(fields=["last_number"])
    return seq.last_number


def ticket_code(group: FieldGroup, number: int) -> str:
    return f"{group.prefix}{number:03d}"


def _check_group(centre, group_id) -> FieldGroup:
    try:
        group = FieldGroup.objects.select_related("centre").get(pk=int(group_id), centre=centre, is_active=True)
    except (FieldGroup.DoesNotExist, TypeError, ValueError):
        raise DomainError("group: nhóm lĩnh vực không thuộc trung tâm này hoặc đã ngừng.", code="invalid_group", field="group") from None
    return group


@transaction.atomic
def ticket_issue(*, centre, group_id, channel: str = Channel.KIOSK, now: datetime | None = None,
                 appointment_start: datetime | None = None, citizen=None) -> Ticket:
    """Lấy số: a kiosk ticket for today (only during working hours of a working day), or an online ticket
    for a free appointment slot (30-minute slots of the working hours, up to BOOKING_DAYS_AHEAD days ahead)."""
    now = _now(now)
    group = _check_group(centre, group_id)
    cal = selectors.centre_calendar(centre)
    if channel == Channel.KIOSK:
        if not selectors.is_open(cal, now) and not settings.QUEUE_KIOSK_ALWAYS_OPEN:
            raise DomainError("Ngoài giờ làm việc: máy lấy số chỉ cấp số trong giờ làm việc của ngày làm việc.", code="closed", field="issued_at")
        day = now.date()
        appointment_start = None
    elif channel == Channel.ONLINE:
        if citizen is None or not getattr(citizen, "is_authenticated", False):
            raise ForbiddenError("Cần đăng nhập để đặt lịch trực tuyến.", code="login_required")
        if appointment_start is None:
            raise DomainError("slot: cần chọn khung giờ hẹn.", code="required", field="slot")
        appointment_start = timezone.localtime(appointment_start)
        day = appointment_start.date()
        if not selectors.is_slot_start(cal, appointment_start):
            raise DomainError("slot: giờ hẹn phải là đầu một khung 30 phút trong giờ làm việc của ngày làm việc.", code="invalid_slot", field="slot")
        if appointment_start <= now:
            raise DomainError("slot: khung giờ đã qua.", code="slot_past", field="slot")
        if day > now.date() + timedelta(days=BOOKING_DAYS_AHEAD):
            raise DomainError(f"slot: chỉ đặt lịch trước tối đa {BOOKING_DAYS_AHEAD} ngày.", code="slot_too_far", field="slot")
        mine = Ticket.objects.filter(citizen=citizen, status=TicketStatus.WAITING, appointment_start__gt=now).count()
        if mine >= MAX_ACTIVE_APPOINTMENTS_PER_CITIZEN:
            raise DomainError(f"slot: mỗi người có tối đa {MAX_ACTIVE_APPOINTMENTS_PER_CITIZEN} lịch hẹn chưa đến giờ.", code="too_many", field="slot")
    else:
        raise DomainError("channel: kênh lấy số không hợp lệ (kiosk, online).", code="invalid_channel", field="channel")

    number = _next_number(group, day)  # the lock also serialises the capacity check below
    if channel == Channel.ONLINE:
        booked = Ticket.objects.filter(group=group, appointment_start=appointment_start, transferred_from__isnull=True).count()
        if booked >= group.slot_capacity:
            raise ConflictError("slot: khung giờ này đã đủ lượt hẹn, vui lòng chọn khung khác.", code="slot_full", field="slot")
    ahead = selectors.people_ahead_count(group=group, day=day, before=appointment_start or now)
    wait = selectors.estimate_wait_minutes(group=group, ahead=ahead)
    ticket = Ticket.objects.create(
        centre=centre, group=group, day=day, number=number, code=ticket_code(group, number), channel=channel,
        issued_at=now, estimated_wait_minutes=wait, appointment_start=appointment_start,
        citizen=citizen if channel == Channel.ONLINE else None,
    )
    audit_record(actor=citizen if channel == Channel.ONLINE else "kiosk", action="queue.ticket_issue", obj=ticket,
                 object_id=ticket.pk, to_state=ticket.status,
                 data={"code": ticket.code, "group": group.prefix, "channel": channel, "day": day.isoformat(),
                       "appointment_start": appointment_start.isoformat() if appointment_start else None})
    return ticket


def _check_officer(actor, counter: Counter) -> None:
    if not can(actor, "process", counter.centre):
        raise ForbiddenError("Bạn không có quyền thao tác tại quầy của trung tâm này.", code="forbidden")


def _candidates(counter: Counter, now: datetime) -> list[Ticket]:
    """Who is next at `counter`: appointments already due (by slot time), then transfers to this counter or its
    groups (by first issue time), then everybody else first come, first served."""
    group_ids = list(counter.groups.values_list("pk", flat=True))
    from django.db.models import Q

    qs = (
        Ticket.objects.filter(centre=counter.centre_id, day=now.date(), status=TicketStatus.WAITING)
        .filter(Q(target_counter=counter) | Q(target_counter__isnull=True, group_id__in=group_ids))
        .filter(Q(appointment_start__isnull=True) | Q(appointment_start__lte=now))
    )

    def key(t: Ticket):
        if t.appointment_start is not None:
            return (0, t.appointment_start, t.issued_at, t.pk)
        if t.transferred_from_id is not None:
            return (1, t.issued_at, t.issued_at, t.pk)
        return (2, t.issued_at, t.issued_at, t.pk)

    return sorted(qs[:500], key=key)


@transaction.atomic
def counter_call_next(*, counter_id: int, actor, now: datetime | None = None) -> Ticket:
    """Gọi số tiếp theo: the counter must be free (no ticket called or in service there)."""
    now = _now(now)
    counter = Counter.objects.select_for_update(of=("self",)).select_related("centre").filter(pk=counter_id, is_active=True).first()
    if counter is None:
        raise NotFoundError("counter: không tìm thấy quầy.", field="counter")
    _check_officer(actor, counter)
    busy = Ticket.objects.filter(counter=counter, status__in=ACTIVE_STATUSES).first()
    if busy is not None:
        raise ConflictError(f"Quầy số {counter.number} đang phục vụ số {busy.code}: kết thúc, bỏ qua hoặc chuyển trước khi gọi số mới.",
                            code="counter_busy", extra={"ticket": busy.pk})
    for cand in _candidates(counter, now):
        won = Ticket.objects.filter(pk=cand.pk, status=TicketStatus.WAITING, version=cand.version).update(
            status=TicketStatus.CALLED, counter=counter, officer=actor, called_at=now, last_called_at=now,
            call_count=1, version=F("version") + 1,
        )
        if won:  # another counter may have taken this one a moment earlier: then try the next
            ticket = Ticket.objects.get(pk=cand.pk)
            audit_record(actor=actor, action="queue.ticket_call", obj=ticket, object_id=ticket.pk,
                         from_state=TicketStatus.WAITING, to_state=TicketStatus.CALLED,
                         data={"code": ticket.code, "counter": counter.number})
            return ticket
    raise NotFoundError("Không còn số nào đang chờ cho quầy này.", code="queue_empty")


ACTIONS = ("recall", "start", "skip", "finish", "transfer")


@transaction.atomic
def ticket_act(*, ticket_id: int, action: str, actor, version: int, now: datetime | None = None,
               target_counter_id: int | None = None, target_group_id: int | None = None, dossier_code: str = "") -> Ticket:
    """One officer action on a called ticket: recall (gọi lại), start (bắt đầu phục vụ), skip (vắng mặt),
    finish (kết thúc, optionally linking the dossier received), transfer (chuyển quầy/lĩnh vực)."""
    now = _now(now)
    if action not in ACTIONS:
        raise DomainError(f"action: thao tác không hợp lệ (một trong {', '.join(ACTIONS)}).", code="invalid_action", field="action")
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("centre", "counter", "group").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFoundError("ticket: không tìm thấy số thứ tự.", field="ticket")
    if not can(actor, "process", ticket.centre):
        raise ForbiddenError("Bạn không có quyền thao tác tại quầy của trung tâm này.", code="forbidden")
    if version != ticket.version:
        raise ConflictError(f"Số {ticket.code} vừa được thao tác ở nơi khác (phiên bản {ticket.version}, bạn gửi {version}): tải lại trang.",
                            code="stale_version", field="version", extra={"current_version": ticket.version, "status": ticket.status})
    before = ticket.status
    after = check_transition(before, action)
    data = {"code": ticket.code, "counter": ticket.counter.number if ticket.counter else None}
    ticket.version += 1
    if action == "recall":
        ticket.call_count += 1
        ticket.last_called_at = now
    elif action == "start":
        ticket.served_at = now
    elif action == "skip":
        ticket.finished_at = now
    elif action == "finish":
        ticket.served_at = ticket.served_at or ticket.called_at
        ticket.finished_at = now
        if dossier_code:
            from cchc.dossiers.models import Dossier

            dossier = Dossier.objects.filter(code=dossier_code.strip(), unit=ticket.centre).first()
            if dossier is None:
                raise DomainError("dossier: không có hồ sơ mã này tiếp nhận tại trung tâm.", code="invalid_dossier", field="dossier")
            ticket.dossier = dossier
            data["dossier"] = dossier.code
    elif action == "transfer":
        target_counter = target_group = None
        if target_counter_id:
            target_counter = Counter.objects.filter(pk=target_counter_id, centre=ticket.centre, is_active=True).first()
            if target_counter is None or target_counter.pk == ticket.counter_id:
                raise DomainError("target_counter: quầy nhận không hợp lệ (cùng trung tâm, khác quầy hiện tại).", code="invalid_target", field="target_counter")
        if target_group_id:
            target_group = FieldGroup.objects.filter(pk=target_group_id, centre=ticket.centre, is_active=True).first()
            if target_group is None:
                raise DomainError("target_group: nhóm lĩnh vực nhận không hợp lệ.", code="invalid_target", field="target_group")
        if target_counter is None and target_group is None:
            raise DomainError("target_counter: cần chọn quầy hoặc nhóm lĩnh vực nhận.", code="required", field="target_counter")
        if target_group is None:
            target_group = ticket.group if target_counter.groups.filter(pk=ticket.group_id).exists() else target_counter.groups.first() or ticket.group
        ticket.served_at = ticket.served_at or ticket.called_at
        ticket.finished_at = now
        data.update(target_counter=target_counter.number if target_counter else None, target_group=target_group.prefix)
    ticket.status = after
    ticket.save()
    if action == "transfer":
        Ticket.objects.create(
            centre=ticket.centre, group=target_group, day=ticket.day, number=ticket.number, code=ticket.code,
            channel=ticket.channel, issued_at=now, estimated_wait_minutes=0, citizen=ticket.citizen,
            target_counter=target_counter, transferred_from=ticket,
        )
    audit_record(actor=actor, action=f"queue.ticket_{action}", obj=ticket, object_id=ticket.pk, from_state=before, to_state=after, data=data)
    return ticket


@transaction.atomic
def tickets_close_day(*, before: date | None = None) -> int:
    """End of day: tickets still waiting or called on an earlier day become no-shows (không đến); audited."""
    day = before or timezone.localdate()
    stale = list(Ticket.objects.select_for_update().filter(day__lt=day, status__in=[TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING]))
    for t in stale:
        old = t.status
        t.status = TicketStatus.DONE if old == TicketStatus.SERVING else TicketStatus.NO_SHOW
        t.version += 1
        if old == TicketStatus.SERVING:
            t.finished_at = t.finished_at or t.served_at
        t.save(update_fields=["status", "version", "finished_at"])
        audit_record(actor=None, action="queue.ticket_close_day", obj=t, object_id=t.pk, from_state=old, to_state=t.status)
    return len(stale)

