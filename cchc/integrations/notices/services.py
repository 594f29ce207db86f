"""Thông báo cho người nộp hồ sơ: record notices with the dossier change, send each channel, apply delivery reports.

Rules (docs/integrations.md §Notices):
- a notice (received, supplement needed, result ready, apology) is written in the transaction of the dossier change
  (signal `dossiers.signals.dossier_changed`), with one delivery row per channel the applicant wants — the account's
  choice (`User.notice_channels`), else e-mail when known + SMS when a phone is known; a channel without the contact
  it needs is left out. Unique (notice, channel): never two deliveries of one notice on one channel;
- `deliveries_send` sends the due queued rows: success → sent (e-mail stays "sent": it has no delivery report);
  a retryable failure → next try after RETRY_BASE × 2^(attempts−1) (capped at RETRY_CAP); after MAX_ATTEMPTS tries,
  or a permanent refusal, → failed (audited `notice.failed`). A channel whose backend is "off" waits, untouched;
- the provider's key is the delivery's `cchc-<id>` (eSMS RequestId, ZNS tracking_id): eSMS refuses a second message
  with the same RequestId (code 124), so a resend after a lost answer is not sent twice;
- delivery reports (eSMS callback, ZNS `user_received_message`) move sent → delivered / failed once; replays and
  reports for unknown messages change nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cchc.core.audit import audit_record
from cchc.core.retry import backoff
from cchc.dossiers import workflow as wf
from cchc.integrations import registry
from cchc.integrations.models import DeliveryState, Notice, NoticeDelivery, NoticeKind

from . import esms, templates, zns

MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(minutes=2)
RETRY_CAP = timedelta(hours=1)
CHANNELS = ("email", "sms", "zalo")
KEY_PREFIX = "cchc-"

ACTION_KIND = {
    wf.ACCEPT: NoticeKind.RECEIVED,
    wf.REQUEST_SUPPLEMENT: NoticeKind.SUPPLEMENT,
    wf.COMPLETE: NoticeKind.RESULT_READY,
    wf.APOLOGISE: NoticeKind.APOLOGY,
}


class ChannelError(Exception):
    def __init__(self, message: str, *, retry: bool):
        super().__init__(message)
        self.retry = retry


def retry_delay(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries (≥ 1)."""
    return backoff(attempts, base=RETRY_BASE, cap=RETRY_CAP)


def provider_key(delivery_pk: int) -> str:
    return f"{KEY_PREFIX}{delivery_pk}"


def _pk_from_key(key: str) -> int | None:
    if key.startswith(KEY_PREFIX) and key[len(KEY_PREFIX) :].isdigit():
        return int(key[len(KEY_PREFIX) :])
    return None


# ------------------------------------------------------------------------------------------------ configuration

_FAKE_SMS = esms.FakeEsms()
FAKE_ZNS_TEMPLATES = {f"fake-{kind}": params for kind, (_, params) in templates.ZNS_TEMPLATES.items()}
_FAKE_ZNS = zns.FakeZns(FAKE_ZNS_TEMPLATES)
FAKE_CALLBACK_TOKEN = "fake-callback-token"


def fake_sms() -> esms.FakeEsms:
    return _FAKE_SMS


def fake_zns() -> zns.FakeZns:
    return _FAKE_ZNS


def _flag(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


def channel_backend(channel: str) -> str:
    return "smtp" if channel == "email" else registry.config(channel)["backend"]


def sms_client() -> esms.Client | None:
    """The configured SMS adapter (None when `off`); ChannelError when the settings cannot work."""
    conf = registry.config("sms")
    backend = conf["backend"]
    if backend == "off":
        return None
    if backend == registry.FAKE:
        return esms.Client(
            transport=_FAKE_SMS,
            url="fake://esms",
            api_key=esms.FakeEsms.API_KEY,
            secret_key=esms.FakeEsms.SECRET_KEY,
            brandname=esms.FakeEsms.BRANDNAME,
            unicode=_flag(conf.get("unicode")),
        )
    if backend == "esms":
        missing = [k for k in ("api_key", "secret_key", "brandname") if not conf.get(k)]
        if missing:
            raise ChannelError(f"sms: thiếu CCHC_INTEGRATION_SMS_{missing[0].upper()}", retry=True)
        return esms.Client(
            transport=esms.urllib_transport(),
            url=conf.get("url") or esms.DEFAULT_URL,
            api_key=conf["api_key"],
            secret_key=conf["secret_key"],
            brandname=conf["brandname"],
            unicode=_flag(conf.get("unicode")),
            sandbox=_flag(conf.get("sandbox")),
        )
    raise ChannelError(f"sms.backend: “{backend}” không hỗ trợ (fake | esms | off)", retry=True)


def sms_callback_url() -> str:
    conf = registry.config("sms")
    base = (conf.get("callback_base") or "").rstrip("/")
    return f"{base}/thong-bao/sms/esms-callback/?token={conf.get('callback_token', '')}" if base else ""


def sms_callback_token() -> str:
    conf = registry.config("sms")
    return FAKE_CALLBACK_TOKEN if conf["backend"] == registry.FAKE else (conf.get("callback_token") or "")


def zalo_conf() -> dict:
    conf = registry.config("zalo")
    if conf["backend"] == registry.FAKE:
        conf.update(
            app_id=zns.FakeZns.APP_ID, secret=zns.FakeZns.SECRET, access_token=zns.FakeZns.ACCESS_TOKEN
        )
        for kind in templates.KINDS:
            conf.setdefault(f"template_{kind}", f"fake-{kind}")
    return conf


def zalo_client() -> zns.Client | None:
    conf = zalo_conf()
    backend = conf["backend"]
    if backend == "off":
        return None
    if backend == registry.FAKE:
        return zns.Client(transport=_FAKE_ZNS, url="fake://zns", access_token=conf["access_token"])
    if backend == "zns":
        if not conf.get("access_token"):
            raise ChannelError("zalo: thiếu CCHC_INTEGRATION_ZALO_ACCESS_TOKEN", retry=True)
        return zns.Client(
            transport=esms.urllib_transport(),
            url=conf.get("url") or zns.DEFAULT_URL,
            access_token=conf["access_token"],
        )
    raise ChannelError(f"zalo.backend: “{backend}” không hỗ trợ (fake | zns | off)", retry=True)


# ------------------------------------------------------------------------------------------------ recording


def _local(t) -> str:
    return timezone.localtime(t).strftime("%d/%m/%Y") if t else ""


def notice_params(dossier, kind: str) -> dict:
    """The values the templates need, frozen when the notice is written (later changes get their own notice)."""
    name = dossier.applicant_name
    if dossier.applicant_user_id:
        name = dossier.applicant_user.display_name() if not name else name
    params = {
        "code": dossier.code,
        "name": name or "ông/bà",
        "procedure": getattr(dossier.procedure, "name", ""),
        "received": timezone.localtime(dossier.received_at).strftime("%H:%M %d/%m/%Y")
        if dossier.received_at
        else "",
        "due": _local(dossier.due_at),
        "reason": "",
        "new_due": "",
    }
    if kind == NoticeKind.SUPPLEMENT:
        pause = dossier.pauses.filter(kind="supplement").order_by("-started_at").first()
        params["reason"] = " ".join((pause.reason if pause else dossier.status_reason or "").split())
    elif kind == NoticeKind.APOLOGY:
        letter = dossier.apologies.order_by("-issued_at", "-id").first()
        if letter is not None:
            params["reason"], params["new_due"] = " ".join(letter.reason.split()), _local(letter.new_due_at)
    return params


def notice_targets(dossier) -> dict[str, str]:
    """{channel: recipient} the applicant receives notices on (account's choice, else the default)."""
    from cchc.accounts.models import default_notice_channels

    user = dossier.applicant_user if dossier.applicant_user_id else None
    email = (user.email if user and user.email else dossier.applicant_email or "").strip()
    phone = (user.phone if user and user.phone else dossier.applicant_phone or "").strip()
    if user is not None and user.notice_channels.strip():
        chosen = user.notice_channel_list()
    else:  # no choice made: the default, on the contacts known for this dossier (account first, then the form)
        chosen = default_notice_channels(email=email, phone=phone)
    contact = {"email": email, "sms": phone, "zalo": phone}
    return {c: contact[c] for c in CHANNELS if c in chosen and contact[c]}


def notice_record(dossier, kind: str, *, at: datetime | None = None) -> Notice | None:
    """Write the notice and its deliveries (inside the caller's transaction). None when nobody can be reached."""
    targets = notice_targets(dossier)
    if not targets:
        return None
    at = at or timezone.now()
    seq = Notice.objects.filter(dossier=dossier, kind=kind).count() + 1
    notice = Notice.objects.create(
        dossier=dossier,
        kind=kind,
        key=f"{kind}:{dossier.pk}:{seq}",
        params=notice_params(dossier, kind),
        created_at=at,
    )
    now = timezone.now()
    NoticeDelivery.objects.bulk_create(
        [
            NoticeDelivery(notice=notice, channel=c, recipient=to[:255], next_attempt_at=now)
            for c, to in targets.items()
        ]
    )
    return notice


def on_dossier_changed(sender, *, dossier, action, from_state, to_state, at=None, actor=None, **kwargs):
    if action == "receive" and to_state == wf.RECEIVED:
        kind = NoticeKind.RECEIVED
    else:
        kind = ACTION_KIND.get(action)
    if kind is not None:
        notice_record(dossier, kind, at=at)


# ------------------------------------------------------------------------------------------------ sending


def _send(d: NoticeDelivery) -> str:
    """Send one delivery on its channel; its provider id ("" for e-mail). ChannelError on failure."""
    kind, ctx = d.notice.kind, d.notice.params
    key = provider_key(d.pk)
    if d.channel == "email":
        from django.core.mail import send_mail

        subject, body = templates.render_email(kind, ctx)
        try:
            send_mail(subject, body, None, [d.recipient], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - SMTP errors of any kind are retried
            raise ChannelError(f"e-mail: {type(exc).__name__}: {exc}", retry=True) from None
        return ""
    if d.channel == "sms":
        client = sms_client()
        try:
            return client.send(
                phone=d.recipient,
                content=templates.render_sms(kind, ctx, unicode=client.unicode),
                request_id=key,
                callback_url=sms_callback_url(),
            )
        except esms.SmsError as exc:
            raise ChannelError(str(exc), retry=exc.retry) from None
    if d.channel == "zalo":
        client, conf = zalo_client(), zalo_conf()
        template_id = conf.get(f"template_{kind}")
        if not template_id:
            raise ChannelError(f"zalo: thiếu CCHC_INTEGRATION_ZALO_TEMPLATE_{kind.upper()}", retry=True)
        try:
            return client.send(
                phone=d.recipient,
                template_id=template_id,
                template_data=templates.render_zns(kind, ctx),
                tracking_id=key,
            )
        except zns.ZnsError as exc:
            raise ChannelError(str(exc), retry=exc.retry) from None
    raise ChannelError(f"channel: kênh không hỗ trợ {d.channel!r}", retry=False)


def _off(channel: str) -> bool:
    try:
        return channel != "email" and (sms_client() if channel == "sms" else zalo_client()) is None
    except ChannelError:
        return False  # misconfigured: try, fail visibly, retry later


def deliveries_send(*, now: datetime | None = None, limit: int = 200) -> dict:
    """Gửi các thông báo đến hạn (the scheduler's job). Returns counts."""
    now = now or timezone.now()
    off = {c for c in CHANNELS if _off(c)}
    ids = list(
        NoticeDelivery.objects.filter(status=DeliveryState.QUEUED, next_attempt_at__lte=now)
        .exclude(channel__in=off)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "retry": 0, "failed": 0}
    fake_reports = []
    for pk in ids:
        with transaction.atomic():
            d = (
                NoticeDelivery.objects.select_for_update()
                .select_related("notice")
                .filter(pk=pk, status=DeliveryState.QUEUED)
                .first()
            )
            if d is None:
                continue
            d.attempts += 1
            try:
                provider_id = _send(d)
            except Exception as exc:  # noqa: BLE001 - an unexpected adapter error is retried, never stops the batch
                if not isinstance(exc, ChannelError):
                    exc = ChannelError(f"{d.channel}: {type(exc).__name__}: {exc}", retry=True)
                d.last_error = str(exc)[:500]
                if exc.retry and d.attempts < MAX_ATTEMPTS:
                    d.next_attempt_at = now + retry_delay(d.attempts)
                    counts["retry"] += 1
                else:
                    d.status = DeliveryState.FAILED
                    counts["failed"] += 1
                    audit_record(
                        actor=None,
                        action="notice.failed",
                        obj=d,
                        from_state=DeliveryState.QUEUED,
                        to_state=DeliveryState.FAILED,
                        data={
                            "dossier": d.notice.dossier_id,
                            "kind": d.notice.kind,
                            "channel": d.channel,
                            "error": d.last_error,
                        },
                    )
            else:
                d.status, d.sent_at, d.provider_id, d.last_error = (
                    DeliveryState.SENT,
                    now,
                    provider_id[:80],
                    "",
                )
                counts["sent"] += 1
                if d.channel != "email" and channel_backend(d.channel) == registry.FAKE:
                    fake_reports.append((d.channel, d.pk, provider_id))
            d.save()
    for channel, pk, provider_id in fake_reports:  # the fakes "call back" once their carrier answered
        _fake_report(channel, pk, provider_id)
    return counts


def _fake_report(channel: str, pk: int, provider_id: str) -> None:
    if channel == "sms":
        sms_callback(_FAKE_SMS.callback_params(provider_key(pk)))
    else:
        event = _FAKE_ZNS.webhook(provider_id)
        if event is not None:
            zalo_webhook(event[0], event[1])


def delivery_requeue(*, delivery: NoticeDelivery, actor) -> NoticeDelivery:
    """Gửi lại: a failed delivery back to the queue (tries reset), by staff who may process the dossier. Audited."""
    from cchc.core.errors import ConflictError, ForbiddenError
    from cchc.dossiers.services import can_process_dossier

    with transaction.atomic():
        d = NoticeDelivery.objects.select_for_update().select_related("notice__dossier").get(pk=delivery.pk)
        if not can_process_dossier(actor, d.notice.dossier):
            raise ForbiddenError("Bạn không có quyền xử lý hồ sơ này.", code="forbidden")
        if d.status != DeliveryState.FAILED:
            raise ConflictError("status: chỉ gửi lại thông báo đã gửi lỗi.", code="not_failed")
        error = d.last_error
        d.status, d.attempts, d.next_attempt_at, d.last_error = DeliveryState.QUEUED, 0, timezone.now(), ""
        d.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        audit_record(
            actor=actor,
            action="notice.requeue",
            obj=d,
            from_state=DeliveryState.FAILED,
            to_state=DeliveryState.QUEUED,
            data={"dossier": d.notice.dossier.code, "channel": d.channel, "error": error},
        )
    return d


# ------------------------------------------------------------------------------------------------ delivery reports


def delivery_report(
    *,
    channel: str,
    provider_id: str = "",
    key: str = "",
    delivered: bool,
    at: datetime | None = None,
    error: str = "",
) -> bool:
    """Apply one delivery report; True when it changed the delivery (replays and unknown messages: False)."""
    at = at or timezone.now()
    pk = _pk_from_key(key)
    with transaction.atomic():
        qs = NoticeDelivery.objects.select_for_update().filter(channel=channel)
        d = (qs.filter(provider_id=provider_id).first() if provider_id else None) or (
            qs.filter(pk=pk).first() if pk else None
        )
        if d is None or d.status in (DeliveryState.DELIVERED, DeliveryState.FAILED):
            return False
        before = d.status
        if delivered:
            d.status, d.delivered_at = DeliveryState.DELIVERED, at
        else:
            d.status, d.last_error = (
                DeliveryState.FAILED,
                (error or "nhà cung cấp báo không đến được máy người nhận")[:500],
            )
            audit_record(
                actor=None,
                action="notice.failed",
                obj=d,
                from_state=before,
                to_state=d.status,
                data={"dossier": d.notice.dossier_id, "channel": channel, "error": d.last_error},
            )
        if provider_id and not d.provider_id:
            d.provider_id = provider_id[:80]
        d.save()
    return True


def sms_callback(params: dict) -> bool:
    report = esms.parse_callback(params)
    if report is None:
        return False
    return delivery_report(
        channel="sms",
        provider_id=report["sms_id"],
        key=report["request_id"],
        delivered=report["delivered"],
        error=""
        if report["delivered"]
        else f"eSMS: SendFailed={params.get('SendFailed')} SendStatus={params.get('SendStatus')}",
    )


def zalo_webhook(raw_body, header_signature: str) -> bool:
    """Verify and apply a ZNS webhook event (ValueError when the signature or the body is wrong)."""
    conf = zalo_conf()
    event = zns.parse_webhook(
        raw_body, header_signature, app_id=str(conf.get("app_id", "")), secret=str(conf.get("secret", ""))
    )
    if event is None:
        return False
    at = (
        datetime.fromtimestamp(event["delivered_ms"] / 1000, tz=timezone.get_current_timezone())
        if event["delivered_ms"]
        else None
    )
    return delivery_report(
        channel="zalo", provider_id=event["msg_id"], key=event["tracking_id"], delivered=True, at=at
    )
