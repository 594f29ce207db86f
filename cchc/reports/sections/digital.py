"""Chính quyền số: online filing, digitised documents, electronic results and online payment of the province's
dossiers in the period — the same rollup row as the dossier section (one definition of each share)."""

from __future__ import annotations

from datetime import date

from . import figure
from .dossiers import statistics

TITLE = "Xây dựng chính quyền điện tử, chính quyền số"


def report_section(province, start: date, end: date) -> dict:
    row, call = statistics(province, start, end)
    spec = [
        ("received_online", "Hồ sơ tiếp nhận trực tuyến", "hồ sơ"),
        ("online_share", "Tỷ lệ hồ sơ tiếp nhận trực tuyến trên tổng số hồ sơ tiếp nhận mới", "%"),
        ("received_with_electronic_documents", "Hồ sơ tiếp nhận mới có thành phần hồ sơ điện tử (số hóa)", "hồ sơ"),
        ("digitised_documents_share", "Tỷ lệ hồ sơ tiếp nhận mới được số hóa", "%"),
        ("settled_with_electronic_result", "Hồ sơ giải quyết có kết quả điện tử", "hồ sơ"),
        ("electronic_result_share", "Tỷ lệ hồ sơ giải quyết có kết quả điện tử", "%"),
        ("received_fee_bearing", "Hồ sơ tiếp nhận mới phải nộp phí, lệ phí", "hồ sơ"),
        ("received_paid_online", "Hồ sơ thanh toán phí, lệ phí trực tuyến", "hồ sơ"),
    ]
    figures = [figure(f"digital.{key}", label, row.get(key), unit, f"{call}[{key}]") for key, label, unit in spec]
    return {"title": TITLE, "figures": figures, "tables": []}
