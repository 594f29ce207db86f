"""The "Thanh toán phí, lệ phí" section of the staff dossier page (dossiers.views.register_detail_section): the
dossier's online payments with their receipt and refunds, linking to the refund page."""

from __future__ import annotations

from django.template.loader import render_to_string

from cchc.integrations.models import Payment


def dossier_payments_section(request, dossier) -> str:
    payments = list(Payment.objects.filter(dossier=dossier).prefetch_related("refunds").order_by("created_at", "id"))
    if not payments:
        return ""
    return render_to_string("integrations/_dossier_payments.html", {"payments": payments}, request=request)
