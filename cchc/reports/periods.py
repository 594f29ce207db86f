"""Kỳ báo cáo: `2026H1` (sơ kết 6 tháng, 01/01–30/06) or `2026` (tổng kết năm, 01/01–31/12) → local dates (pure).

A period still running on the report date is reported up to that date: `data_to` = the report date and the
report says "số liệu tính đến ngày dd/mm/yyyy". A period that has not started yet is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIOD = re.compile(r"(\d{4})(H1)?", re.IGNORECASE)


class ReportPeriodError(ValueError):
    """The text is not a report period, or the period has not started (Vietnamese message)."""


@dataclass(frozen=True)
class ReportPeriod:
    code: str  # canonical: 2026H1 or 2026
    kind: str  # "half" (sơ kết 6 tháng) | "year" (tổng kết năm)
    start: date
    end: date
    data_to: date  # last day whose figures count: end, or the report date while the period runs
    report_date: date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def partial(self) -> bool:
        """Kỳ chưa kết thúc vào ngày báo cáo: the figures are to date."""
        return self.data_to < self.end

    @property
    def title(self) -> str:
        """The report's subject line, as provincial reports word it."""
        if self.kind == "half":
            return (f"Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm {self.year} "
                    f"và phương hướng, nhiệm vụ 6 tháng cuối năm {self.year}")
        return f"Kết quả thực hiện công tác cải cách hành chính năm {self.year} và phương hướng, nhiệm vụ năm {self.year + 1}"

    @property
    def label(self) -> str:
        return f"6 tháng đầu năm {self.year}" if self.kind == "half" else f"năm {self.year}"

    @property
    def next_label(self) -> str:
        return f"6 tháng cuối năm {self.year}" if self.kind == "half" else f"năm {self.year + 1}"

    @property
    def coverage(self) -> str:
        """"Kỳ báo cáo: từ 01/01/2026 đến 30/06/2026" or "... số liệu tính đến ngày 05/12/2026"."""
        text = f"Kỳ báo cáo: từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"
        if self.partial:
            text += f"; số liệu tính đến ngày {self.data_to:%d/%m/%Y}"
        return text


def parse_report_period(text: str, *, today: date) -> ReportPeriod:
    """`2026H1` → 01/01/2026–30/06/2026; `2026` → 01/01/2026–31/12/2026; figures up to min(end, today)."""
    m = _PERIOD.fullmatch((text or "").strip())
    if not m:
        raise ReportPeriodError(f"kỳ {text!r} không hợp lệ (dùng YYYYH1 cho 6 tháng đầu năm hoặc YYYY cho cả năm)")
    year = int(m[1])
    if not 2000 <= year <= 2100:
        raise ReportPeriodError(f"năm {year} ngoài khoảng 2000–2100")
    half = bool(m[2])
    start, end = date(year, 1, 1), date(year, 6, 30) if half else date(year, 12, 31)
    if start > today:
        raise ReportPeriodError(f"kỳ {text} chưa bắt đầu (ngày báo cáo {today:%d/%m/%Y})")
    return ReportPeriod(code=f"{year}H1" if half else str(year), kind="half" if half else "year", start=start, end=end,
                        data_to=min(end, today), report_date=today)
