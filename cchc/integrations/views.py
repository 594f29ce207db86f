"""Pages: the citizen's fees (Phí, lệ phí), the return page, the IPN endpoint, the receipt, the local fake gateway."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.core.dateparams import date_range
from cchc.core.errors import DomainError
from cchc.dossiers.models import Dossier, PaymentStatus
from cchc.integrations.models import Payment, PaymentState
from cchc.integrations.payment import services, vnpay


@login_required
def my_fees(request):
    """Phí, lệ phí của tôi: dossiers with a fee due (pay) and the online payments made (receipts)."""
    due = Dossier.objects.filter(applicant_user=request.user, payment_status=PaymentStatus.UNPAID, fee_amount__gt=0).select_related("procedure").order_by("-id")
    payments = Payment.objects.filter(dossier__applicant_user=request.user).select_related("dossier", "dossier__procedure")[:50]
    return render(request, "integrations/my_fees.html", {"due": due, "payments": payments})


@login_required
@require_POST
def pay(request, code: str):
    d = Dossier.objects.filter(code=code, applicant_user=request.user).first()
    if d is None:
        raise Http404
    try:
        _, url = services.payment_create(dossier=d, user=request.user, return_url=services.return_url_for(request),
                                         ip_addr=request.META.get("REMOTE_ADDR", ""))
    except DomainError as exc:
        return render(request, "integrations/my_fees.html", {"error": exc.message, "due": [], "payments": []}, status=exc.status_code)
    return redirect(url)


@require_GET
def payment_return(request):
    """Return URL (vnp_ReturnUrl): shows the result; the IPN, not this page, confirms the payment."""
    params = request.GET.dict()
    valid = vnpay.verify(params, services.gateway_config().get("secret") or "")
    p = Payment.objects.filter(txn_ref=params.get("vnp_TxnRef", "")).select_related("dossier").first() if valid else None
    if p is not None and p.dossier.applicant_user_id != getattr(request.user, "pk", None):
        p = None
    ok = valid and params.get("vnp_ResponseCode") == vnpay.RESPONSE_SUCCESS
    return render(request, "integrations/payment_return.html", {"valid": valid, "ok": ok, "payment": p}, status=200 if valid else 400)


@csrf_exempt
@require_GET
def payment_ipn(request):
    """IPN URL (server to server, GET as in VNPAY's guide) → {"RspCode", "Message"}."""
    code, message = services.payment_callback(request.GET.dict())
    return JsonResponse({"RspCode": code, "Message": message})


@login_required
def receipt_pdf(request, txn_ref: str):
    """Biên lai điện tử (PDF): the citizen who paid, or staff of the dossier's unit scope."""
    from cchc.accounts.permissions import in_scope

    p = Payment.objects.filter(txn_ref=txn_ref, status__in=[PaymentState.PAID, PaymentState.REFUNDED]).select_related("dossier", "dossier__unit", "dossier__procedure").first()
    if p is None or not (p.dossier.applicant_user_id == request.user.pk or (getattr(request.user, "is_staff_member", False) and in_scope(request.user, p.dossier.unit))):
        raise Http404
    from weasyprint import HTML

    html = render_to_string("integrations/receipt_pdf.html", {"p": p, "d": p.dossier})
    resp = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="bien-lai-{p.receipt_number}.pdf"'
    return resp


@require_http_methods(["GET", "POST"])
def fake_gateway(request):
    """Cổng thanh toán giả lập (local fake, same protocol): checks the signed request, Pay / Cancel,
    fires the IPN server-side, then redirects the browser back to vnp_ReturnUrl with signed parameters."""
    conf = services.gateway_config()
    params = (request.POST if request.method == "POST" else request.GET).dict()
    action = params.pop("action", "")
    params.pop("csrfmiddlewaretoken", None)
    if not vnpay.verify(params, conf["secret"]) or params.get("vnp_Version") != vnpay.VERSION:
        return HttpResponseBadRequest("vnp_SecureHash: chữ ký không hợp lệ (97)".encode())
    if request.method == "GET":
        amount = vnpay.amount_from_param(params["vnp_Amount"])
        return render(request, "integrations/fake_gateway.html", {"params": params, "amount": amount})
    result = services.fake_gateway_result(params, pay=action == "pay")
    services.payment_callback(result)  # the IPN call, server to server
    from urllib.parse import urlencode

    return redirect(f"{params['vnp_ReturnUrl']}?{urlencode(result)}")


RECONCILE_ROLES = services.REFUND_ROLES | {"unit_head", "system_admin"}


def _staff_payments(user):
    from cchc.dossiers.selectors import scope_unit_ids

    if getattr(user, "role", None) not in RECONCILE_ROLES and not getattr(user, "is_superuser", False):
        return None
    qs = Payment.objects.select_related("dossier", "dossier__unit").prefetch_related("refunds")
    ids = scope_unit_ids(user)
    return qs if ids is None else qs.filter(dossier__unit_id__in=ids)


@login_required
def reconcile_page(request):
    """Đối soát thanh toán (PAR office, one-stop centre): payments created in [from, to] queried at the gateway
    (querydr); only those where platform and gateway disagree are listed, then the platform's own checks."""
    from cchc.integrations import selectors

    qs = _staff_payments(request.user)
    if qs is None:
        return render(request, "integrations/payment_reconcile.html", {"forbidden": True}, status=403)
    start, end, error = date_range(request.GET, what="Kỳ đối soát")
    payments = qs.filter(created_at__date__gte=start, created_at__date__lte=end).order_by("created_at", "id")
    result = selectors.gateway_reconciliation(payments)
    recent = qs.filter(status__in=[PaymentState.PAID, PaymentState.REFUNDED]).order_by("-paid_at")[:20]
    return render(request, "integrations/payment_reconcile.html", {
        "result": result, "start": start, "end": end, "error": error, "recent": recent,
        "can_refund": request.user.role in services.REFUND_ROLES,
    }, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def refund_page(request, txn_ref: str):
    """Hoàn tiền một giao dịch: full or partial (amount ≤ what is left), reason required; staff in scope."""
    qs = _staff_payments(request.user)
    if qs is None:
        return render(request, "integrations/payment_refund.html", {"forbidden": True}, status=403)
    p = qs.filter(txn_ref=txn_ref).first()
    if p is None:
        raise Http404
    error, status = None, 200
    if request.method == "POST":
        try:
            services.payment_refund(payment=p, actor=request.user, reason=request.POST.get("reason", ""),
                                    amount=request.POST.get("amount"))
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        else:
            return redirect("integrations:payment_refund", txn_ref=p.txn_ref)
        p = qs.get(pk=p.pk)
    return render(request, "integrations/payment_refund.html", {
        "p": p, "refunds": list(p.refunds.select_related("created_by")), "remaining": services.refundable_amount(p),
        "error": error, "can_refund": request.user.role in services.REFUND_ROLES, "form": request.POST if error else {},
    }, status=status)
