"""Demo data of the integrations (fakes): online payment records with receipts for the demo province's dossiers
paid online, and fees due for the demo citizen `congdan` so a visitor can pay through the fake gateway.

Idempotent and deterministic (no randomness: order by dossier code)."""

from __future__ import annotations

from django.db import transaction

DUE_FOR_CITIZEN = 2  # unpaid fees the visitor can pay
PAID_FOR_CITIZEN = 1  # one paid, with its receipt, in "Phí, lệ phí"


def build(ctx: dict, *, stdout=None) -> None:
    from cchc.accounts.models import User
    from cchc.dossiers import rollups
    from cchc.dossiers import workflow as wf
    from cchc.dossiers.models import Dossier, PaymentStatus

    from .models import Payment, PaymentState
    from .payment.vnpay import GMT7

    province = ctx.get("province")
    if province is None:
        return
    paid_online = Dossier.objects.filter(province=province, payment_status=PaymentStatus.PAID_ONLINE, fee_amount__gt=0)
    with transaction.atomic():
        missing = list(paid_online.exclude(online_payments__status=PaymentState.PAID).order_by("code")
                       .values_list("pk", "fee_amount", "submitted_at", "received_at"))
        # demo receipts are numbered by dossier (BL<year>-D…), live ones by payment id (BL<year>-…): never the same
        rows = [Payment(dossier_id=pk, gateway="fake", txn_ref=f"DEMO{pk:08d}", amount=fee, status=PaymentState.PAID,
                        created_at=sub or rec, paid_at=sub or rec, gateway_txn_no=f"{14000000 + pk}", bank_code="NCB", response_code="00",
                        receipt_number=f"BL{(sub or rec).astimezone(GMT7):%Y}-D{pk:07d}")
                for pk, fee, sub, rec in missing]
        created = Payment.objects.bulk_create(rows, batch_size=2000)

        citizen = User.objects.filter(username="congdan").first()
        if citizen is not None and not Dossier.objects.filter(applicant_user=citizen, province=province).exists():
            pool = list(Dossier.objects.filter(province=province, channel="online", payment_status=PaymentStatus.PAID_ONLINE,
                                               status__in=[wf.RECEIVED, wf.IN_PROCESS])
                        .order_by("code")[: DUE_FOR_CITIZEN + PAID_FOR_CITIZEN])
            for i, d in enumerate(pool):
                d = rollups.track(d)
                d.applicant_user = citizen
                d.applicant_name = citizen.get_full_name() or "Nguyễn Văn Dân"
                if i < DUE_FOR_CITIZEN:  # the visitor pays these through the fake gateway
                    Payment.objects.filter(dossier=d).delete()
                    d.payment_status, d.payment_reference, d.paid_at = PaymentStatus.UNPAID, "", None
                d.save()
                rollups.sync(d)
        ledger = _fake_ledger(province)
        shipments = _postal(province, citizen)
        notices = _notices(province, citizen)
    if stdout is not None:
        stdout.write(f"thanh toán trực tuyến: {len(created)} giao dịch có biên lai ({ledger} dòng sổ cổng giả lập); bưu chính: {shipments} bưu gửi; "
                     f"thông báo: {notices} lượt gửi\n")


def _fake_ledger(province) -> int:
    """The fake gateway's own ledger for the demo's paid payments (it 'saw' them), so that reconciliation by querydr
    finds them in agreement; idempotent (only payments without a ledger row)."""
    from .models import FakeGatewayTransaction, Payment, PaymentState
    from .payment.vnpay import create_date

    known = FakeGatewayTransaction.objects.values("txn_ref")
    rows = [FakeGatewayTransaction(txn_ref=p.txn_ref, amount=p.amount, transaction_no=p.gateway_txn_no or str(p.pk), status="00",
                                   pay_date=create_date(p.paid_at or p.created_at), bank_code=p.bank_code)
            for p in Payment.objects.filter(dossier__province=province, status=PaymentState.PAID).exclude(txn_ref__in=known)
            .only("txn_ref", "amount", "gateway_txn_no", "paid_at", "created_at", "bank_code", "pk")]
    FakeGatewayTransaction.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


POSTAL_DAYS = 60  # shipments of results settled in the last 60 days (older ones would all be delivered)


def _postal(province, citizen) -> int:
    """Results by post (kết quả qua bưu chính): a shipment for each settled dossier of the last POSTAL_DAYS whose result
    goes by post, with the fake carrier's journey up to now; the demo citizen gets one in transit."""
    from datetime import timedelta

    from django.utils import timezone

    from cchc.dossiers import workflow as wf
    from cchc.dossiers.models import Dossier, ResultChannel

    from .models import PostalEvent, PostalShipment
    from .postal import carrier

    now = timezone.now()
    if PostalShipment.objects.filter(dossier__province=province).exists():
        return 0
    settled = list(Dossier.objects.filter(province=province, result_channel=ResultChannel.POST, status__in=wf.SETTLED_STATES,
                                          settled_at__gte=now - timedelta(days=POSTAL_DAYS)).order_by("code")
                   .values_list("pk", "code", "settled_at"))
    if citizen is not None and settled:
        pk, code, _ = settled[-1]
        Dossier.objects.filter(pk=pk).update(applicant_user=citizen, applicant_name=citizen.get_full_name() or "Nguyễn Văn Dân")
        settled[-1] = (pk, code, now - timedelta(hours=6))  # handed over this morning: in transit
    ships, journeys = [], []
    for pk, code, at in settled:
        handed = min(at + timedelta(hours=2), now)
        waybill, fee = carrier.create(code, "-")
        journey = carrier.track(waybill, handed, now)
        ships.append(PostalShipment(dossier_id=pk, carrier="fake", waybill=waybill, fee=fee, handed_over_at=handed,
                                    status=journey[-1][0], status_at=journey[-1][1]))
        journeys.append(journey)
    created = PostalShipment.objects.bulk_create(ships, batch_size=2000)
    PostalEvent.objects.bulk_create([PostalEvent(shipment=s, status=st, at=at, note=note)
                                     for s, j in zip(created, journeys, strict=True) for st, at, note in j], batch_size=5000)
    return len(created)


def _notices(province, citizen) -> int:
    """The demo citizen's dossiers get their notices (received; result ready when settled) on the citizen's channels,
    as if already sent: e-mail "sent", SMS/Zalo "delivered", at the dossier's own times (nothing is queued, so the
    first scheduler tick of a demo server sends nothing). Dossiers that already have notices are left alone."""
    from cchc.dossiers import workflow as wf
    from cchc.dossiers.models import Dossier

    from .models import DeliveryState, NoticeDelivery, NoticeKind
    from .notices.services import notice_record

    if citizen is None:
        return 0
    made = 0
    for d in Dossier.objects.filter(province=province, applicant_user=citizen, notices__isnull=True).exclude(received_at=None).order_by("code"):
        events = [(NoticeKind.RECEIVED, d.received_at)]
        if d.status in wf.SETTLED_STATES and d.settled_at:
            events.append((NoticeKind.RESULT_READY, d.settled_at))
        for kind, at in events:
            notice = notice_record(d, kind, at=at)
            if notice is None:
                continue
            for row in NoticeDelivery.objects.filter(notice=notice):
                done = DeliveryState.SENT if row.channel == "email" else DeliveryState.DELIVERED
                NoticeDelivery.objects.filter(pk=row.pk).update(status=done, attempts=1, sent_at=at, next_attempt_at=at,
                                                                delivered_at=at if done == DeliveryState.DELIVERED else None)
                made += 1
    return made
