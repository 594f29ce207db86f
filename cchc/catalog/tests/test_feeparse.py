"""Phí, lệ phí: the catalogue's phi_le_phi read into a structured fee; implausible values flagged, never printed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.catalog.feeparse import (
    AMOUNT,
    EXEMPT,
    LABEL_BY_RULE,
    LABEL_EXEMPT,
    SEVERAL,
    UNKNOWN,
    fee_label,
    parse_fee,
    publication_fee,
)

CASES = [  # text (shapes of tthc_catalogue.csv), kind, amount, flagged
    ("Miễn phí", EXEMPT, None, False),
    ("Miễn", EXEMPT, None, False),
    ("Miễn phí|Không có thông tin", EXEMPT, None, False),
    ("", UNKNOWN, None, False),
    ("Không có thông tin", UNKNOWN, None, False),
    ("Theo quy định của HĐND tỉnh", UNKNOWN, None, False),
    ("1,000 VNĐ", AMOUNT, 1000, False),                 # boundary: 1.000 đồng is a real fee
    ("1.000 đồng", AMOUNT, 1000, False),                # Vietnamese thousands dot
    ("999 VNĐ", UNKNOWN, None, True),                   # boundary: below 1.000 đồng is implausible
    ("1 VNĐ", UNKNOWN, None, True),                     # "1.000" read as 1
    ("50 VNĐ", UNKNOWN, None, True),
    ("8,000 VNĐ", AMOUNT, 8000, False),
    ("10,000 Việt Nam Đồng", AMOUNT, 10000, False),
    ("500,000 Việt Nam Đồng(/hồ sơ)", AMOUNT, 500000, False),
    ("2,000,000 VNĐ|2,000,000 Việt Nam Đồng", AMOUNT, 2000000, False),  # same amount on each channel
    ("1,000,000 Việt Nam Đồng|Không có thông tin", AMOUNT, 1000000, False),
    ("100,000 Việt Nam Đồng|50,000 Việt Nam Đồng", SEVERAL, None, False),
    ("Miễn phí|70,000 Việt Nam Đồng", SEVERAL, None, False),
    ("1 VNĐ|50,000 Việt Nam Đồng", AMOUNT, None, True),  # one channel's value is implausible: flagged
    ("Miễn phí|40 VNĐ", EXEMPT, None, True),
    ("10 USD", AMOUNT, None, True),                      # not an amount in đồng
    ("2,000 Việt Nam Đồng(/trang)|10 USD(/bản)", SEVERAL, None, False),
    ("100.000 - 200.000 đồng", UNKNOWN, None, True),     # a range
    ("từ 50.000 đồng đến 100.000 đồng", UNKNOWN, None, True),
    ("1,5 VNĐ", UNKNOWN, None, True),                    # not a whole number of đồng
    ("50.000", UNKNOWN, None, True),                     # no currency
]


@pytest.mark.parametrize(("text", "kind", "amount", "flagged"), CASES)
def test_parse_fee(text, kind, amount, flagged):
    fee = parse_fee(text)
    assert (fee.kind, fee.amount, fee.flagged) == (kind, amount, flagged), fee


def test_several_fees_keep_each_amount_and_what_it_is_per():
    fee = parse_fee("2,000 Việt Nam Đồng(/trang)|10 USD(/bản)")
    assert [(p.amount, p.currency, p.per) for p in fee.parts] == [(2000, "VND", "trang"), (10, "USD", "bản")]


@pytest.mark.parametrize(("text", "expected"), [
    ("8,000 VNĐ", 8000), ("999 VNĐ", 0), ("1,000 VNĐ", 1000), ("Miễn phí", 0), ("", 0), ("10 USD", 0),
    ("100,000 Việt Nam Đồng|50,000 Việt Nam Đồng", 0),
])
def test_publication_fee_takes_only_one_plausible_amount(text, expected):
    assert publication_fee(text) == expected


@pytest.mark.parametrize(("amount", "catalogue", "exempt", "label"), [
    (Decimal("50000"), "50,000 VNĐ", False, "50.000 đồng"),
    (1000, "", False, "1.000 đồng"),                     # boundary: printed
    (999, "", False, LABEL_BY_RULE),                     # boundary: never printed as a fee
    (50, "50 VNĐ", False, LABEL_BY_RULE),
    (0, "Miễn phí", False, LABEL_EXEMPT),
    (0, "Miễn phí|40 VNĐ", False, LABEL_BY_RULE),        # exempt on one channel, implausible on another
    (0, "Không có thông tin", False, LABEL_BY_RULE),
    (0, "8,000 VNĐ", False, LABEL_BY_RULE),              # the province publishes no fee: not our figure
    (None, None, False, LABEL_BY_RULE),
    (Decimal("200000"), "200,000 VNĐ", True, LABEL_EXEMPT),  # the dossier was exempted
])
def test_fee_label(amount, catalogue, exempt, label):
    assert fee_label(amount=amount, catalogue_text=catalogue, exempt=exempt) == label


def test_every_catalogue_fee_parses_and_implausible_ones_are_flagged():
    import csv

    from cchc.catalog.reference import CATALOGUE_FILE

    with CATALOGUE_FILE.open(encoding="utf-8-sig") as handle:
        fees = [parse_fee(r["phi_le_phi"]) for r in csv.DictReader(handle)]
    assert all(f.amount is None or f.amount >= 1000 for f in fees)
    assert sum(f.flagged for f in fees) == 62
    assert sum(f.kind == EXEMPT and not f.flagged for f in fees) == 1785
