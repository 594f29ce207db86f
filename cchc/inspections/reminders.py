"""Nhắc hạn kiến nghị sau kiểm tra: a daily e-mail to the heads of the unit responsible for an open recommendation
(of an inspection still open) from N days before its deadline (INSPECTIONS_REMIND_DAYS, default 7: every day from
deadline − N to the deadline) and every day while it is overdue — the same way `cchc.programme.reminders` reminds
plan tasks. Queued in the dossier outbox (dossiers.Notification, sent by `send_pending_notifications`); the dedup
key carries the recommendation, the kind, the local date and the recipient, so the 15-minute scheduler queues each
reminder once per recommendation per day."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.core.deadlines import deadline_phrase

from .models import InspectionStatus, Recommendation, RecommendationStatus


def remind(*, now: datetime | None = None, days: int | None = None) -> dict:
    from cchc.accounts.models import Role, User
    from cchc.dossiers.services import queue_notification

    now = now or timezone.now()
    today = timezone.localdate(now)
    days = getattr(settings, "INSPECTIONS_REMIND_DAYS", 7) if days is None else days
    recs = list(Recommendation.objects.filter(status=RecommendationStatus.OPEN, inspection__status=InspectionStatus.CONDUCTED,
                                              deadline__lte=today + timedelta(days=days))
                .select_related("responsible_unit", "inspection__unit").order_by("deadline", "pk"))
    heads: dict[int, list[str]] = {}
    queued = 0
    with transaction.atomic():
        for r in recs:
            kind = "inspection_recommendation_overdue" if today > r.deadline else "inspection_recommendation_due"
            if r.responsible_unit_id not in heads:
                heads[r.responsible_unit_id] = list(
                    User.objects.filter(role=Role.UNIT_HEAD, unit_id=r.responsible_unit_id, is_active=True)
                    .exclude(email="").values_list("email", flat=True))
            when = deadline_phrase(r.deadline, today)
            queued += queue_notification(
                kind=kind, dedup=f"{kind}:{r.pk}:{today.isoformat()}", recipients=heads[r.responsible_unit_id],
                subject=f"[CCHC] Kiến nghị sau kiểm tra {when}",
                body=f"Kiến nghị: {r.text}\nĐơn vị thực hiện: {r.responsible_unit.name}\n"
                     f"Cuộc kiểm tra: {r.inspection.unit.name}\nHạn hoàn thành: {r.deadline:%d/%m/%Y} — {when}.\n"
                     f"Báo cáo kết quả thực hiện tại /kiem-tra/kien-nghi/{r.pk}/bao-cao/")
    return {"queued": queued, "recommendations": len(recs)}
