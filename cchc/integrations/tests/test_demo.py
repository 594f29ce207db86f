"""The demo builder: payment records with receipts for dossiers paid online, fees due and a shipment for congdan;
idempotent."""

import pytest
from django.utils import timezone

from cchc.dossiers.models import Dossier
from cchc.integrations import demo
from cchc.integrations.models import Notice, Payment, PostalShipment

pytestmark = pytest.mark.django_db


def test_demo_builds_payments_and_shipments_once(world, fee_dossier):
    from cchc.accounts.models import Role, User

    congdan = User.objects.create_user(username="congdan", password="x", role=Role.CITIZEN, full_name="Nguyễn Văn Dân")
    Dossier.objects.filter(pk=fee_dossier.pk).update(applicant_user=None, payment_status="paid_online")
    Dossier.objects.filter(pk=fee_dossier.pk).update(result_channel="post", status="result_ready", settled_at=timezone.now())
    demo.build({"province": world["province"]})
    assert Payment.objects.get(dossier=fee_dossier, status="paid").receipt_number.startswith("BL")
    shipments = PostalShipment.objects.count()
    assert shipments == 1 and PostalShipment.objects.get().dossier.applicant_user == congdan
    payments = Payment.objects.count()
    from cchc.integrations.models import NoticeDelivery

    Notice.objects.filter(dossier=fee_dossier).delete()  # the demo's bulk dossiers have none (written without signals)
    demo.build({"province": world["province"]})
    rows = NoticeDelivery.objects.filter(notice__dossier=fee_dossier)
    assert {(r.notice.kind, r.channel, r.status) for r in rows} == {("received", "email", "sent"), ("received", "sms", "delivered"),
                                                                   ("result_ready", "email", "sent"), ("result_ready", "sms", "delivered")}
    notices = Notice.objects.count()
    demo.build({"province": world["province"]})
    assert (Payment.objects.count(), PostalShipment.objects.count(), Notice.objects.count()) == (payments, shipments, notices)
    # the fake gateway's ledger knows the demo payments once: reconciliation by querydr finds them in agreement
    from cchc.integrations import selectors
    from cchc.integrations.models import FakeGatewayTransaction

    assert FakeGatewayTransaction.objects.count() == Payment.objects.filter(status="paid").count() == 1
    assert selectors.gateway_reconciliation(Payment.objects.all())["rows"] == []
