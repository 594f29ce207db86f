"""Mục báo cáo: which section fills which heading of the conference report, by dotted path.

Each entry names a `report_section(province, start, end)` function. An app that is not installed (or has no
such function yet) is skipped: its heading stays, with a sentence saying the figures are not available on the
platform — the report never makes a figure up. A heading with no path is a field of reform the platform does
not record (e.g. thể chế, tài chính công): the report says so, for the PAR office to complete by hand.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Entry:
    part: str  # "I" chỉ đạo, điều hành | "II" kết quả theo lĩnh vực
    heading: str
    path: str | None  # "package.module.function"
    app: str | None  # app that must be installed ("cchc.programme"); None = the report's own sections


NOT_RECORDED = ("Nền tảng chưa quản lý số liệu của lĩnh vực này; cơ quan thường trực CCHC tổng hợp từ báo cáo "
                "của các cơ quan, đơn vị.")
NOT_AVAILABLE = "Chưa có số liệu trên nền tảng (phân hệ {app} chưa được cài đặt)."

SECTIONS: list[Entry] = [
    Entry("I", "Kế hoạch cải cách hành chính và kết quả thực hiện", "cchc.programme.selectors.report_section", "cchc.programme"),
    Entry("I", "Công tác kiểm tra cải cách hành chính", "cchc.inspections.selectors.report_section", "cchc.inspections"),
    Entry("I", "Tiếp nhận, xử lý phản ánh, kiến nghị; đối thoại với người dân, doanh nghiệp",
          "cchc.feedback.selectors.report_section", "cchc.feedback"),
    Entry("I", "Công tác thi đua, khen thưởng trong cải cách hành chính",
          "cchc.commendations.selectors.report_section", "cchc.commendations"),
    Entry("II", "Cải cách thể chế", None, None),
    Entry("II", "Cải cách thủ tục hành chính", "cchc.reports.sections.procedures.report_section", None),
    Entry("II", "Giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
          "cchc.reports.sections.dossiers.report_section", "cchc.dossiers"),
    Entry("II", "Cải cách tổ chức bộ máy hành chính nhà nước", None, None),
    Entry("II", "Cải cách chế độ công vụ", None, None),
    Entry("II", "Cải cách tài chính công", None, None),
    Entry("II", "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
          "cchc.reports.sections.digital.report_section", "cchc.dossiers"),
    Entry("II", "Kết quả Chỉ số CCHC (PAR INDEX) và Chỉ số hài lòng (SIPAS)",
          "cchc.reports.sections.national_indices.report_section", "cchc.surveys"),
    Entry("II", "Điểm bị trừ trong Chỉ số CCHC cấp tỉnh và giải trình",
          "cchc.reports.sections.lost_points.report_section", "cchc.indices"),
    Entry("II", "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)",
          "cchc.reports.sections.serviceindex.report_section", "cchc.serviceindex"),
]


def resolve(entry: Entry):
    """The section function, or (None, why) when its app is not installed or does not provide it yet."""
    if entry.path is None:
        return None, NOT_RECORDED
    if entry.app and not apps.is_installed(entry.app):
        return None, NOT_AVAILABLE.format(app=entry.app.rsplit(".", 1)[-1])
    module_name, func_name = entry.path.rsplit(".", 1)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):  # the module itself is missing, not one it imports
            return None, NOT_AVAILABLE.format(app=(entry.app or module_name).rsplit(".", 1)[-1])
        raise
    func = getattr(module, func_name, None)
    if func is None:
        return None, NOT_AVAILABLE.format(app=(entry.app or module_name).rsplit(".", 1)[-1])
    return func, ""
