"""Writes on the national-portal outbox: record events with the dossier change, send them, retry, requeue.

Rules (docs/integrations.md §Portal):
- an event is written in the transaction of the dossier change (signal `dossiers.signals.dossier_changed`), only
  when the status the portal shows changes (assign/hand-over inside "in process" sends nothing new);
- events of one dossier are sent in `seq` order: an event waits while an earlier one of its dossier is unsent;
- a failed send is retried with exponential backoff: RETRY_BASE × 2^(attempts−1), capped at RETRY_CAP; after
  MAX_ATTEMPTS failures the event is dead (dead letter), shown to the PAR office, and blocks the later events of
  its dossier until an officer requeues it (audited);
- the event id is the idempotency key: resending an event (after a lost answer, a requeue) never duplicates at
  the portal.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, ForbiddenError, NotFoundError
from cchc.core.retry import backoff
from cchc.dossiers import workflow as wf

from .adapters import PortalError, portal
from .models import EventKind, PortalEvent, SendState

MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=6)

STATUS_TO_KIND = {
    wf.RECEIVED: EventKind.RECEIVED,
    wf.IN_PROCESS: EventKind.IN_PROCESS,
    wf.SUPPLEMENT_REQUESTED: EventKind.SUPPLEMENT,
    wf.PAUSED: EventKind.PAUSED,
    wf.RESULT_READY: EventKind.COMPLETED,
    wf.RETURNED: EventKind.RETURNED,
    wf.RETURNED_LATE: EventKind.RETURNED,
    wf.REJECTED: EventKind.REJECTED,
    wf.WITHDRAWN: EventKind.WITHDRAWN,
}


def portal_status(dossier_status: str) -> str | None:
    """The portal status a dossier status shows (None: not yet a portal dossier, e.g. waiting for acceptance)."""
    kind = STATUS_TO_KIND.get(dossier_status)
    return kind.value if kind else None


def retry_delay(attempts: int) -> timedelta:
    """Delay before attempt attempts+1, after `attempts` failures (≥ 1)."""
    return backoff(attempts, base=RETRY_BASE, cap=RETRY_CAP)


def event_record(dossier, *, at=None) -> PortalEvent | None:
    """Append the dossier's current portal status to the outbox (inside the caller's transaction)."""
    kind = portal_status(dossier.status)
    if kind is None:
        return None
    last = PortalEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    if last is not None and last.kind == kind:
        return None
    seq = (last.seq if last else 0) + 1
    return PortalEvent.objects.create(
        dossier=dossier, dossier_code=dossier.code, province_id=dossier.province_id, seq=seq, kind=kind,
        occurred_at=at or timezone.now(), next_attempt_at=timezone.now(),
        payload={"procedure": dossier.province_procedure.procedure.code if dossier.province_procedure_id else "",
                 "unit": dossier.unit.code, "dossier_status": dossier.status},
    )


def on_dossier_changed(sender, *, dossier, action, from_state, to_state, at=None, actor=None, **kwargs):
    if from_state == to_state:
        return
    event_record(dossier, at=at)


def _wire(ev: PortalEvent) -> dict:
    return {"event_id": str(ev.event_id), "dossier_code": ev.dossier_code, "province_code": ev.province.code,
            "seq": ev.seq, "status": ev.kind, "occurred_at": ev.occurred_at.isoformat(), **ev.payload}


def _blocked(ev: PortalEvent) -> bool:
    return PortalEvent.objects.filter(dossier_id=ev.dossier_id, seq__lt=ev.seq).exclude(state=SendState.SENT).exists()


def events_send_due(*, now=None, limit: int = 500, adapter=None) -> dict:
    """Send due events in (dossier, seq) order; returns counts. Safe to run from two workers (row locks)."""
    adapter = adapter or portal()
    counts = {"sent": 0, "duplicate": 0, "failed": 0, "dead": 0, "blocked": 0}
    if adapter is None:
        return {**counts, "off": True}
    now = now or timezone.now()
    ids = list(PortalEvent.objects.filter(state__in=[SendState.PENDING, SendState.RETRYING], next_attempt_at__lte=now)
               .order_by("dossier_id", "seq").values_list("id", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            ev = (PortalEvent.objects.select_for_update().select_related("province")
                  .filter(pk=pk, state__in=[SendState.PENDING, SendState.RETRYING]).first())
            if ev is None:
                continue
            if _blocked(ev):
                counts["blocked"] += 1
                continue
            try:
                answer = adapter.send(_wire(ev))
            except PortalError as exc:
                ev.attempts += 1
                ev.last_error = str(exc)[:500]
                if ev.attempts >= MAX_ATTEMPTS:
                    ev.state, ev.next_attempt_at = SendState.DEAD, None
                    counts["dead"] += 1
                    audit_record(actor="scheduler", action="portalsync.dead", obj=ev.dossier, reason=ev.last_error,
                                 data={"event_id": str(ev.event_id), "seq": ev.seq, "attempts": ev.attempts})
                else:
                    ev.state, ev.next_attempt_at = SendState.RETRYING, now + retry_delay(ev.attempts)
                    counts["failed"] += 1
                ev.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
                continue
            ev.attempts += 1
            ev.state, ev.sent_at, ev.next_attempt_at, ev.last_error = SendState.SENT, now, None, ""
            ev.save(update_fields=["attempts", "state", "sent_at", "next_attempt_at", "last_error"])
            counts["duplicate" if answer == "duplicate" else "sent"] += 1
    return counts


def event_requeue(*, event_id, actor) -> PortalEvent:
    """Gửi lại: a dead (or retrying) event goes back to the queue now, attempts reset; PAR office of its province."""
    with transaction.atomic():
        ev = PortalEvent.objects.select_for_update().select_related("province", "dossier").filter(event_id=event_id).first()
        if ev is None:
            raise NotFoundError("Không tìm thấy sự kiện đồng bộ.", code="not_found", field="event_id")
        if not can(actor, "appraise", ev.province):
            raise ForbiddenError("Chỉ Sở Nội vụ (cơ quan thường trực CCHC) của tỉnh được gửi lại.", code="forbidden")
        if ev.state == SendState.SENT:
            raise ConflictError("Sự kiện đã gửi thành công; không cần gửi lại.", code="already_sent", field="event_id")
        before = ev.state
        ev.state, ev.attempts, ev.next_attempt_at = SendState.PENDING, 0, timezone.now()
        ev.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit_record(actor=actor, action="portalsync.requeue", obj=ev.dossier, from_state=before, to_state=ev.state,
                     data={"event_id": str(ev.event_id), "seq": ev.seq})
    return ev


def backfill(*, province, actor=None, received_from=None) -> int:
    """Đồng bộ ban đầu: one event with the current status for each dossier of the province not yet in the outbox
    (received on or after `received_from` when given)."""
    from cchc.dossiers.models import Dossier

    done = set(PortalEvent.objects.filter(province=province).values_list("dossier_id", flat=True).distinct())
    rows = []
    now = timezone.now()
    qs = (Dossier.objects.filter(province=province, status__in=list(STATUS_TO_KIND))
          .select_related("unit", "province_procedure__procedure").order_by("id"))
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    for d in qs.iterator(chunk_size=2000):
        if d.pk in done:
            continue
        rows.append(PortalEvent(dossier=d, dossier_code=d.code, province=province, seq=1, kind=portal_status(d.status),
                                occurred_at=d.updated_at or now,
                                next_attempt_at=now,
                                payload={"procedure": d.province_procedure.procedure.code if d.province_procedure_id else "",
                                         "unit": d.unit.code, "dossier_status": d.status}))
    with transaction.atomic():
        PortalEvent.objects.bulk_create(rows, batch_size=1000)
        audit_record(actor=actor, action="portalsync.backfill", obj=province, data={"events": len(rows)})
    return len(rows)
