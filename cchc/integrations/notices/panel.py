"""The "Thông báo cho người nộp" section of the staff dossier page (registered with dossiers.views.register_detail_section)."""

from __future__ import annotations

from django.template.loader import render_to_string

from cchc.integrations.models import NoticeDelivery


def dossier_notices_section(request, dossier) -> str:
    rows = list(
        NoticeDelivery.objects.filter(notice__dossier=dossier)
        .select_related("notice")
        .order_by("notice__created_at", "notice_id", "channel")
    )
    from cchc.dossiers.services import can_process_dossier

    can_requeue = any(r.status == "failed" for r in rows) and can_process_dossier(request.user, dossier)
    return render_to_string(
        "integrations/_dossier_notices.html", {"rows": rows, "can_requeue": can_requeue}, request=request
    )
