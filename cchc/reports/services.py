"""Build the conference report of a province for a period in a format (the one entry point of CLI and pages)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from cchc.core.errors import DomainError

from .compose import compose
from .periods import ReportPeriodError, parse_report_period

FORMATS = ("docx", "pdf", "html")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def report_period(text: str, today: date | None = None):
    try:
        return parse_report_period(text, today=today or timezone.localdate())
    except ReportPeriodError as exc:
        raise DomainError(f"period: {exc}", code="invalid_period", field="period") from exc


def report_build(*, province, period_text: str, fmt: str, today: date | None = None) -> tuple[dict, bytes]:
    """(the composed report, the file's bytes) for `fmt` in docx | pdf | html. Reads only; nothing is stored."""
    if fmt not in FORMATS:
        raise DomainError(f"format: định dạng {fmt!r} không hỗ trợ (docx, pdf).", code="invalid_choice", field="format")
    period = report_period(period_text, today)
    report = compose(province=province, period=period)
    from . import render

    if fmt == "docx":
        return report, render.docx_bytes(report)
    if fmt == "pdf":
        return report, render.pdf_bytes(report)
    return report, render.html_document(report).encode()


def file_name(province, period, fmt: str) -> str:
    kind = "so-ket-6-thang" if period.kind == "half" else "tong-ket-nam"
    return f"bao-cao-cchc-{kind}-{period.year}-tinh-{province.code}.{fmt}"
