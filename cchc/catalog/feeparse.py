"""Phí, lệ phí: read the catalogue's `phi_le_phi` into a structured fee and say how to print it (pure).

The crawl lists one value per channel, "|"-separated: "Miễn phí", "Không có thông tin", "10,000 Việt Nam
Đồng", "100,000 VNĐ", "10 USD", "500,000 Việt Nam Đồng(/hồ sơ)", "1 VNĐ|50,000 VNĐ". Rules
(docs/catalog.md "Phí, lệ phí"):
- a number whose separators ("." or ",") are each followed by exactly three digits is a whole number of
  đồng with thousands separators ("1.000 đồng" = "1,000" = 1000); any other separator (a decimal, "1,5")
  is flagged;
- "Miễn phí" / "Miễn lệ phí" / "Không thu" → exempt; "Không có thông tin", "" → unknown; "theo quy định"
  → by regulation (unknown amount);
- several distinct values → several; the same amount on every channel → that amount;
- implausible values are flagged, never printed as a fee: an amount in đồng below MIN_VND (the crawl
  reads "1.000" as 1, "50.000" as 50: 1–999 đồng fees do not exist), zero, a range ("100.000 - 200.000",
  "từ … đến …"), a text without a number, a foreign currency (USD: not a VND amount to collect).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.numbers import format_vn

MIN_VND = 1000
EXEMPT = "exempt"
AMOUNT = "amount"
SEVERAL = "several"
UNKNOWN = "unknown"

LABEL_EXEMPT = "Miễn phí, lệ phí"
LABEL_BY_RULE = "Theo quy định (xem thông tin thủ tục)"

_NUMBER = re.compile(r"\d[\d.,]*")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_VND = re.compile(r"việt nam đồng|vnđ|vnd|đồng|\bđ\b", re.IGNORECASE)
_USD = re.compile(r"usd|\$|đô la", re.IGNORECASE)
_EXEMPT = re.compile(r"^(?:miễn(?: phí| lệ phí| thu)?(?:,? lệ phí)?|không thu(?: phí)?(?:,? lệ phí)?|không mất phí)\.?$", re.IGNORECASE)
_UNKNOWN = re.compile(r"^(?:\(?không có thông tin\)?|không|-|—)?$", re.IGNORECASE)
_RULE = re.compile(r"theo quy định", re.IGNORECASE)
_RANGE = re.compile(r"\d\s*(?:-|–|đến)\s*\d|\btừ\b.*\bđến\b", re.IGNORECASE)
_PER = re.compile(r"\(\s*/\s*([^)]*)\)")


@dataclass(frozen=True)
class FeePart:
    """Một mức phí: amount in its currency, and what it is charged per ("hồ sơ", "trang")."""

    amount: int
    currency: str  # VND | USD
    per: str = ""


@dataclass
class Fee:
    kind: str  # exempt | amount | several | unknown
    amount: int | None = None  # VND, only when kind is amount and nothing is flagged
    parts: list[FeePart] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.problems)


def _number(text: str) -> int | None:
    if _GROUPED.match(text):
        return int(re.sub(r"[.,]", "", text))
    if text.isdigit():
        return int(text)
    return None


def parse_fee(text: str | None) -> Fee:
    """The structured fee of one `phi_le_phi` text. Never raises."""
    raw = " ".join(str(text or "").split())
    values = [v.strip() for v in raw.split("|")] if raw else []
    problems: list[str] = []
    parts: list[FeePart] = []
    exempt = by_rule = False
    for value in values:
        if _UNKNOWN.match(value):
            continue
        if _EXEMPT.match(value):
            exempt = True
            continue
        if _RANGE.search(value):
            problems.append(f"khoảng giá trị “{value}”")
            continue
        numbers = _NUMBER.findall(value)
        if not numbers:
            if _RULE.search(value):
                by_rule = True
            else:
                problems.append(f"không đọc được “{value}”")
            continue
        if len(numbers) > 1:
            problems.append(f"nhiều số trong một mức “{value}”")
            continue
        amount = _number(numbers[0].rstrip(".,"))
        if amount is None:
            problems.append(f"số không nguyên “{numbers[0]}” trong “{value}”")
            continue
        per = _PER.search(value)
        currency = "USD" if _USD.search(value) else "VND" if _VND.search(value) else ""
        if not currency:
            problems.append(f"không rõ đơn vị tiền “{value}”")
            continue
        if currency == "VND" and amount < MIN_VND:
            problems.append(f"{amount} đồng dưới {MIN_VND:,} đồng (có thể “{amount}.000” bị đọc thành {amount})"
                            .replace(",", "."))
            continue
        if currency == "USD" and amount == 0:
            problems.append(f"0 USD “{value}”")
            continue
        part = FeePart(amount=amount, currency=currency, per=(per.group(1).strip(" .") if per else ""))
        if part not in parts:
            parts.append(part)
    if problems:
        kind = SEVERAL if len(parts) + exempt + by_rule > 1 else UNKNOWN if not parts and not exempt else (
            EXEMPT if exempt and not parts else AMOUNT)
        return Fee(kind=kind, parts=parts, problems=problems)
    if parts and exempt:
        return Fee(kind=SEVERAL, parts=parts)
    if exempt:
        return Fee(kind=EXEMPT)
    if not parts:
        return Fee(kind=UNKNOWN)
    amounts = {(p.amount, p.currency) for p in parts}
    if len(amounts) > 1:
        return Fee(kind=SEVERAL, parts=parts)
    only = parts[0]
    if only.currency != "VND":
        return Fee(kind=AMOUNT, parts=parts, problems=[f"{only.amount} {only.currency}: không phải mức thu bằng đồng"])
    return Fee(kind=AMOUNT, amount=only.amount, parts=parts)


def publication_fee(text: str | None) -> int:
    """The fee a province publishes by default from the catalogue: the one plausible amount in đồng, else 0."""
    fee = parse_fee(text)
    return fee.amount if fee.kind == AMOUNT and not fee.flagged and fee.amount else 0


def vnd(amount: int | Decimal) -> str:
    """'50.000 đồng'."""
    return format_vn(int(amount)) + " đồng"


def fee_label(*, amount, catalogue_text: str | None = None, exempt: bool = False) -> str:
    """What a receipt prints for "Phí, lệ phí": never an implausible figure.

    `amount` is the dossier's fee (from the province's publication); `catalogue_text` the procedure's
    `phi_le_phi`; `exempt` true when the dossier's payment status is "Miễn phí, lệ phí".
    - exempt, or no amount and the catalogue says exempt → "Miễn phí, lệ phí";
    - an amount ≥ MIN_VND → that amount ("50.000 đồng");
    - anything else (0 without an exemption in the catalogue, 1–999 đồng, unknown) → "Theo quy định (xem
      thông tin thủ tục)".
    """
    value = Decimal(str(amount)) if amount not in (None, "") else Decimal(0)
    if exempt:
        return LABEL_EXEMPT
    if value >= MIN_VND:
        return vnd(value)
    if value == 0:
        fee = parse_fee(catalogue_text)
        if fee.kind == EXEMPT and not fee.flagged:
            return LABEL_EXEMPT
    return LABEL_BY_RULE
