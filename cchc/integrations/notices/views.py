"""Delivery-report endpoints of the notice providers (server to server): eSMS callback (GET) and Zalo's webhook (POST)."""

from __future__ import annotations

import hmac

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from cchc.core.errors import DomainError
from cchc.integrations.models import NoticeDelivery

from . import services


@login_required
@require_POST
def requeue(request, pk: int):
    """Gửi lại a failed notice (staff who may process the dossier), back to the dossier page."""
    from django.contrib import messages

    d = NoticeDelivery.objects.select_related("notice__dossier").filter(pk=pk).first()
    if d is None or not getattr(request.user, "is_staff_member", False):
        raise Http404
    try:
        services.delivery_requeue(delivery=d, actor=request.user)
    except DomainError as exc:
        if exc.status_code == 403:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã đưa thông báo vào hàng đợi gửi lại.")
    from django.urls import reverse

    return redirect(reverse("dossiers:detail", args=[d.notice.dossier.code]) + "#notices")


@csrf_exempt
@require_GET
def esms_callback(request):
    """CallbackUrl of eSMS: GET with SMSID, SendStatus, SendSuccess, SendFailed, RequestId … and our secret token."""
    token = services.sms_callback_token()
    if not token or not hmac.compare_digest(request.GET.get("token", ""), token):
        return JsonResponse({"ok": False, "error": "token: mã xác thực callback không đúng"}, status=403)
    if not request.GET.get("SMSID") and not request.GET.get("RequestId"):
        return JsonResponse({"ok": False, "error": "SMSID: bắt buộc (hoặc RequestId)"}, status=400)
    changed = services.sms_callback(request.GET.dict())
    return JsonResponse({"ok": True, "changed": changed})


@csrf_exempt
@require_POST
def zalo_webhook(request):
    """Webhook of the Zalo OA: user_received_message marks a ZNS delivery delivered; other events are acknowledged."""
    try:
        changed = services.zalo_webhook(request.body, request.headers.get("X-ZEvent-Signature", ""))
    except ValueError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=400)
    return JsonResponse({"ok": True, "changed": changed})
