"""Reads of the integrations app: 766 indicator 3.6 from the payment records, reconciliation."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from cchc.dossiers.models import Dossier, PaymentStatus
from cchc.integrations.models import Payment, PaymentState


def _scope(province, unit=None):
    qs = Dossier.objects.filter(province=province)
    if unit is not None:
        from cchc.accounts.permissions import descendant_ids

        qs = qs.filter(unit_id__in=descendant_ids([unit.pk]))
    return qs


def indicator_3_6(province, start: date, end: date, unit=None):
    """766 indicator 3.6 (phí, lệ phí thanh toán trực tuyến): of the fee-bearing dossiers received in the period,
    those with a paid (not refunded) online payment record. None (fall back to the platform figure) when the
    scope has no payment record at all in the period — then the records cannot tell."""
    from cchc.dossiers.selectors import period_bounds

    # the period's local days as an instant range (the received_at index), not received_at__date (a function on
    # every row: a scan of the province's dossiers on each 766 computation)
    t_from, t_to = period_bounds(start, end)
    fee = _scope(province, unit).filter(received_at__gte=t_from, received_at__lt=t_to, fee_amount__gt=0)
    if not Payment.objects.filter(dossier__in=fee).exists():
        return None
    paid = fee.filter(online_payments__status=PaymentState.PAID).distinct().count()
    return {"numerator": paid, "denominator": fee.count(), "source": "integrations.payment"}


def reconciliation(province=None) -> list[dict]:
    """Đối soát: paid records whose dossier is not marked paid online or whose amount ≠ the fee; dossiers marked
    paid online through the gateway without a paid record; more than one paid record for a dossier."""
    rows = []
    paid = Payment.objects.filter(status=PaymentState.PAID).select_related("dossier")
    if province is not None:
        paid = paid.filter(dossier__province=province)
    seen = {}
    for p in paid:
        d = p.dossier
        seen[d.pk] = seen.get(d.pk, 0) + 1
        if d.payment_status != PaymentStatus.PAID_ONLINE:
            rows.append({"dossier": d.code, "txn_ref": p.txn_ref, "problem": "paid_record_dossier_not_paid", "detail": d.payment_status})
        if p.amount != d.fee_amount:
            rows.append({"dossier": d.code, "txn_ref": p.txn_ref, "problem": "amount_mismatch", "detail": f"{p.amount} ≠ {d.fee_amount}"})
    rows += [{"dossier": code, "txn_ref": "", "problem": "several_paid_records", "detail": ""}
             for code in Dossier.objects.filter(pk__in=[k for k, n in seen.items() if n > 1]).values_list("code", flat=True)]
    gateway_refs = Payment.objects.values("txn_ref")
    orphans = Dossier.objects.filter(Q(payment_status=PaymentStatus.PAID_ONLINE), payment_reference__in=gateway_refs).exclude(online_payments__status=PaymentState.PAID)
    if province is not None:
        orphans = orphans.filter(province=province)
    rows += [{"dossier": d.code, "txn_ref": d.payment_reference, "problem": "dossier_paid_without_record", "detail": ""} for d in orphans]
    return rows


def _period(qs, field, start, end):
    return qs.filter(**{f"{field}__date__gte": start, f"{field}__date__lte": end})


def report_section(province, start: date, end: date) -> dict:
    """Conference-report section: online fee payments and postal returns of the province in [start, end]."""
    from django.db.models import Count, Sum

    from cchc.integrations.models import PostalShipment, ShipmentState

    paid = _period(Payment.objects.filter(dossier__province=province, status=PaymentState.PAID), "paid_at", start, end)
    refunded = _period(Payment.objects.filter(dossier__province=province, status=PaymentState.REFUNDED), "refunded_at", start, end)
    ships = _period(PostalShipment.objects.filter(dossier__province=province), "handed_over_at", start, end)
    by_status = dict(ships.values_list("status").annotate(n=Count("id")))
    q = f"province={province.code}&start={start.isoformat()}&end={end.isoformat()}"
    figures = [
        {"key": "payments_paid", "label": "Giao dịch thanh toán trực tuyến thành công", "value": paid.count(), "unit": "giao dịch", "query": f"integrations.payments?{q}&status=paid"},
        {"key": "payments_amount", "label": "Số tiền phí, lệ phí thanh toán trực tuyến", "value": int(paid.aggregate(s=Sum("amount"))["s"] or 0), "unit": "đồng", "query": f"integrations.payments?{q}&status=paid"},
        {"key": "payments_refunded", "label": "Giao dịch đã hoàn tiền", "value": refunded.count(), "unit": "giao dịch", "query": f"integrations.payments?{q}&status=refunded"},
        {"key": "postal_handed_over", "label": "Kết quả bàn giao cho bưu chính công ích", "value": ships.count(), "unit": "bưu gửi", "query": f"integrations.postal?{q}"},
        {"key": "postal_delivered", "label": "Bưu gửi đã phát thành công", "value": by_status.get(ShipmentState.DELIVERED, 0), "unit": "bưu gửi", "query": f"integrations.postal?{q}&status=delivered"},
        {"key": "postal_returned", "label": "Bưu gửi phát không thành công, chuyển hoàn", "value": by_status.get(ShipmentState.FAILED, 0) + by_status.get(ShipmentState.RETURNED, 0), "unit": "bưu gửi", "query": f"integrations.postal?{q}&status=failed,returned"},
    ]
    units = (ships.values("dossier__unit__name").annotate(n=Count("id"), fee=Sum("fee")).order_by("-n", "dossier__unit__name"))
    tables = [{"key": "postal_by_unit", "title": "Trả kết quả qua bưu chính theo đơn vị", "columns": ["Đơn vị", "Bưu gửi", "Cước (đồng)"],
               "rows": [[u["dossier__unit__name"], u["n"], int(u["fee"] or 0)] for u in units]}]
    return {"title": "Thanh toán trực tuyến và trả kết quả qua bưu chính", "figures": figures, "tables": tables}


GATEWAY_PROBLEMS = {
    "gateway_paid_platform_not": "Cổng ghi nhận đã thanh toán, nền tảng chưa (mất IPN?)",
    "platform_paid_gateway_not": "Nền tảng ghi đã thanh toán, cổng không ghi nhận thành công",
    "amount_differs": "Số tiền khác nhau",
    "refund_differs": "Hoàn tiền không khớp",
    "gateway_error": "Không truy vấn được cổng",
}
RECONCILE_LIMIT = 500


def gateway_reconciliation(payments, *, query=None) -> dict:
    """Đối soát với cổng thanh toán: each payment (a queryset or list, at most RECONCILE_LIMIT) is queried at the
    gateway (querydr) and compared: paid at the gateway but not on the platform (a lost IPN), paid on the platform
    but not at the gateway, amount, and refund state (type 02 full / 03 partial vs the platform's refunds).
    A payment the citizen never completed (platform pending/failed, gateway "not found" or not successful) agrees."""
    from cchc.integrations.payment import services, vnpay

    query = query or services.payment_query
    rows, checked = [], 0
    for p in list(payments)[:RECONCILE_LIMIT]:
        checked += 1
        try:
            a = query(p)
        except services.DomainError as exc:
            rows.append({"payment": p, "problem": "gateway_error", "detail": exc.message})
            continue
        code = a.get("vnp_ResponseCode")
        gw_paid = code == vnpay.API_OK and a.get("vnp_TransactionStatus") == vnpay.RESPONSE_SUCCESS
        pf_paid = p.status in (PaymentState.PAID, PaymentState.REFUNDED)
        if code not in (vnpay.API_OK, vnpay.API_NOT_FOUND):
            rows.append({"payment": p, "problem": "gateway_error", "detail": f"mã {code}: {a.get('vnp_Message', '')}"})
            continue
        if gw_paid and not pf_paid:
            rows.append({"payment": p, "problem": "gateway_paid_platform_not", "detail": f"nền tảng: {p.get_status_display()}"})
            continue
        if pf_paid and not gw_paid:
            rows.append({"payment": p, "problem": "platform_paid_gateway_not",
                         "detail": "cổng: không có giao dịch" if code == vnpay.API_NOT_FOUND else f"cổng: trạng thái {a.get('vnp_TransactionStatus')}"})
            continue
        if not gw_paid:
            continue
        gw_amount = vnpay.amount_from_param(a.get("vnp_Amount") or "0")
        if gw_amount != p.amount:
            rows.append({"payment": p, "problem": "amount_differs", "detail": f"nền tảng {p.amount:,.0f} đ ≠ cổng {gw_amount:,.0f} đ".replace(",", ".")})
            continue
        refunded = sum((r.amount for r in p.refunds.all()), 0)
        expected = vnpay.TYPE_PAYMENT if not refunded else (vnpay.TYPE_FULL_REFUND if refunded >= p.amount else vnpay.TYPE_PARTIAL_REFUND)
        if a.get("vnp_TransactionType") != expected:
            rows.append({"payment": p, "problem": "refund_differs",
                         "detail": f"nền tảng đã hoàn {refunded:,.0f} đ (loại {expected}), cổng loại {a.get('vnp_TransactionType')}".replace(",", ".")})
    for r in rows:
        r["label"] = GATEWAY_PROBLEMS[r["problem"]]
    return {"checked": checked, "rows": rows, "truncated": checked >= RECONCILE_LIMIT}
