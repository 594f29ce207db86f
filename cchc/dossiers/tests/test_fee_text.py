"""Every page says what the receipt prints for "Phí, lệ phí" (one rule: catalog.feeparse.fee_label)."""

from types import SimpleNamespace

import pytest

from cchc.dossiers.templatetags.dossier_format import fee_text


def _pub(amount, catalogue_text=""):
    return SimpleNamespace(fee_amount=amount, procedure=SimpleNamespace(fee_text=catalogue_text))


@pytest.mark.parametrize("amount, catalogue_text, expected", [
    (0, "", "Theo quy định (xem thông tin thủ tục)"),      # unknown is not "free"
    (None, "Miễn lệ phí", "Miễn phí, lệ phí"),
    (999, "", "Theo quy định (xem thông tin thủ tục)"),    # implausible amount is never printed
    (1000, "", "1.000 đồng"),
    (50000, "50.000 đồng", "50.000 đồng"),
])
def test_a_publication_fee_reads_as_the_receipt_prints_it(amount, catalogue_text, expected):
    assert fee_text(_pub(amount, catalogue_text)) == expected


def test_an_exempted_dossier_reads_exempt_whatever_its_amount():
    dossier = SimpleNamespace(fee_amount=50000, payment_status="exempt", procedure=SimpleNamespace(fee_text="50.000 đồng"))
    assert fee_text(dossier) == "Miễn phí, lệ phí"
    assert fee_text(None) == ""
