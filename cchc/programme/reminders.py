"""Nhắc hạn nhiệm vụ: a daily e-mail to the head responsible for a task (else the heads of the unit in charge)
N days before its deadline (PROGRAMME_REMIND_DAYS, default 7: every day from deadline − N to the deadline) and
every day while it is overdue. Queued in the dossier outbox (dossiers.Notification, sent by
`send_pending_notifications`); the dedup key carries the task, the kind, the local date and the recipient, so
the 15-minute scheduler queues each reminder once per task per day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.core.deadlines import deadline_phrase

from .models import PlanTask, TaskStatus


def remind(*, now: datetime | None = None, days: int | None = None) -> dict:
    from cchc.accounts.models import Role, User
    from cchc.dossiers.services import queue_notification

    now = now or timezone.now()
    today = timezone.localdate(now)
    days = getattr(settings, "PROGRAMME_REMIND_DAYS", 7) if days is None else days
    open_tasks = PlanTask.objects.filter(status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS],
                                         deadline__lte=today + timedelta(days=days)).select_related("responsible", "unit", "plan")
    heads: dict[int, list] = {}
    queued = 0
    with transaction.atomic():
        for t in open_tasks:
            kind = "plan_task_overdue" if today > t.deadline else "plan_task_due"
            if t.responsible_id and t.responsible.email and t.responsible.is_active:
                recipients = [t.responsible.email]
            else:
                if t.unit_id not in heads:
                    heads[t.unit_id] = list(User.objects.filter(role=Role.UNIT_HEAD, unit_id=t.unit_id, is_active=True)
                                            .exclude(email="").values_list("email", flat=True))
                recipients = heads[t.unit_id]
            when = deadline_phrase(t.deadline, today)
            queued += queue_notification(
                kind=kind, dedup=f"{kind}:{t.pk}:{today.isoformat()}", recipients=recipients,
                subject=f"[CCHC] Nhiệm vụ kế hoạch CCHC {when}",
                body=f"Nhiệm vụ: {t.content}\nĐơn vị chủ trì: {t.unit.name}\nKế hoạch: {t.plan.number or t.plan.title}\n"
                     f"Thời hạn: {t.deadline:%d/%m/%Y} — {when}.\nCập nhật tiến độ tại /ke-hoach-cchc/nhiem-vu/{t.pk}/")
    return {"queued": queued, "tasks": len(open_tasks)}
