"""PDF forms of the one-stop desk (biểu mẫu một cửa), rendered with WeasyPrint from plain dicts.

Forms (Thông tư 01/2018/TT-VPCP, carried into Thông tư 03/2025/TT-VPCP; see docs/forms.md):
- receipt         Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)
- supplement      Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)
- rejection       Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)
- apology         Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)
- control_sheet   Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05 in 01/2018, Mẫu 06 in 03/2025)
- result          Kết quả giải quyết TTHC bản điện tử (the page that is signed when no result file was uploaded)

Every renderer takes a plain dict (see `sample_context`) so forms can be built and tested without a
database; `cchc.dossiers.views` turns a dossier into such a dict. The official forms are set in a
Times-like serif: we embed Noto Serif (Debian fonts-noto-core), which has every Vietnamese glyph.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from cchc.catalog.feeparse import fee_label
from cchc.catalog.models import DocumentKind
from cchc.catalog.selectors import checklist_items
from cchc.units.models import ADMINISTRATIVE_KINDS

from .selectors import mask_id_number

FONT_DIR = Path(os.environ.get("CCHC_FONT_DIR", "/usr/share/fonts/truetype/noto"))
FONT_FILES = {
    ("normal", "normal"): "NotoSerif-Regular.ttf",
    ("bold", "normal"): "NotoSerif-Bold.ttf",
    ("normal", "italic"): "NotoSerif-Italic.ttf",
    ("bold", "italic"): "NotoSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class FormSpec:
    """One form of one legal version: its number (Mẫu số) and title."""

    number: str
    title: str


@dataclass(frozen=True)
class FormCatalogue:
    """Biểu mẫu của một văn bản: the forms as numbered by one circular, and from when it applies."""

    circular: str
    issued_on: date
    effective_from: date
    forms: dict[str, FormSpec]


_TITLES = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "rejection": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "control_sheet": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "register": "SỔ THEO DÕI HỒ SƠ",
    "result": "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
}

# Numbering: TT 01/2018 and TT 03/2025 Phụ lục I as collected in /work/shared/domain.md §4.2.
# The 01/2018 numbers of the control sheet and register, and the 03/2025 effective date, are UNCONFIRMED.
CATALOGUES: list[FormCatalogue] = [
    FormCatalogue(
        circular="01/2018/TT-VPCP",
        issued_on=date(2018, 11, 23),
        effective_from=date(2019, 1, 1),
        forms={
            "receipt": FormSpec("01", _TITLES["receipt"]),
            "supplement": FormSpec("02", _TITLES["supplement"]),
            "rejection": FormSpec("03", _TITLES["rejection"]),
            "apology": FormSpec("04", _TITLES["apology"]),
            "control_sheet": FormSpec("05", _TITLES["control_sheet"]),
            "register": FormSpec("06", _TITLES["register"]),
        },
    ),
    FormCatalogue(
        circular="03/2025/TT-VPCP",
        issued_on=date(2025, 6, 30),
        effective_from=date(2025, 7, 1),
        forms={
            "receipt": FormSpec("01", _TITLES["receipt"]),
            "supplement": FormSpec("02", _TITLES["supplement"]),
            "rejection": FormSpec("03", _TITLES["rejection"]),
            "apology": FormSpec("04", _TITLES["apology"]),
            "control_sheet": FormSpec("06", _TITLES["control_sheet"]),
            "register": FormSpec("07", _TITLES["register"]),
        },
    ),
]

FORM_KINDS = ("receipt", "supplement", "rejection", "apology", "control_sheet", "result")
FORM_FILE_PREFIX = {
    "receipt": "giay-tiep-nhan",
    "supplement": "phieu-yeu-cau-bo-sung",
    "rejection": "phieu-tu-choi",
    "apology": "phieu-xin-loi",
    "control_sheet": "phieu-kiem-soat",
    "result": "ket-qua",
}


def catalogue_for(on: date | datetime | None = None) -> FormCatalogue:
    """The circular whose forms apply on a date (the latest one already in force)."""
    day = _as_date(on) or timezone.localdate()
    current = CATALOGUES[0]
    for cat in CATALOGUES:
        if cat.effective_from <= day:
            current = cat
    return current


def form_spec(kind: str, on: date | datetime | None = None) -> FormSpec | None:
    return catalogue_for(on).forms.get(kind)


# ---------------------------------------------------------------------------------------- formatting

def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _as_local(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    parsed = datetime.fromisoformat(str(value))
    return timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed


def vn_date_line(value) -> str:
    """'ngày 05 tháng 3 năm 2026' (the place-and-date line of an administrative document)."""
    day = _as_date(value)
    if day is None:
        return "ngày ..... tháng ..... năm ........"
    # Nghị định 30/2020: days and months below 10 (and month 1, 2) are written with a leading zero.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_datetime(value) -> str:
    """'14 giờ 05 phút, ngày 05/03/2026'."""
    moment = _as_local(value)
    if moment is None:
        return "…"
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {moment:%d/%m/%Y}"


def vn_short_datetime(value) -> str:
    moment = _as_local(value)
    return "" if moment is None else f"{moment:%H:%M %d/%m/%Y}"


# ------------------------------------------------------------------------------------------ rendering

def font_face_css() -> str:
    """@font-face rules embedding Noto Serif from the system font directory."""
    rules = []
    for (weight, style), filename in FONT_FILES.items():
        path = FONT_DIR / filename
        rules.append(
            "@font-face{font-family:'Noto Serif';"
            f"src:url('{path.as_uri()}');font-weight:{weight};font-style:{style};}}"
        )
    return "\n".join(rules)


def missing_fonts() -> list[str]:
    return [name for name in FONT_FILES.values() if not (FONT_DIR / name).exists()]


def render_html(kind: str, context: dict) -> str:
    if kind not in FORM_KINDS:
        raise ValueError(f"unknown form kind: {kind}")
    ctx = dict(context)
    issued = ctx.get("issued_at") or timezone.now()
    ctx.setdefault("issued_at", issued)
    ctx["form"] = form_spec(kind, issued)
    ctx["catalogue"] = catalogue_for(issued)
    ctx["date_line"] = vn_date_line(issued)
    ctx["font_css"] = font_face_css()
    ctx["kind"] = kind
    ctx["fmt"] = {
        "received_at": vn_datetime((ctx.get("dossier") or {}).get("received_at")),
        "due_at": vn_datetime((ctx.get("dossier") or {}).get("due_at")),
        "new_due_at": vn_datetime(ctx.get("new_due_at")),
        "previous_due_at": vn_datetime(ctx.get("previous_due_at")),
        "reprint_printed_at": vn_short_datetime((ctx.get("reprint") or {}).get("printed_at")),
        "reprint_issued_at": vn_short_datetime((ctx.get("reprint") or {}).get("issued_at")),
        # one rule for the printed fee (catalog.feeparse.fee_label): exempt, a real amount, or "Theo quy định"
        "fee": (ctx.get("dossier") or {}).get("fee_label") or fee_label(amount=(ctx.get("dossier") or {}).get("fee")),
    }
    steps = []
    for step in ctx.get("steps") or []:
        row = dict(step)
        row["sent_at_text"] = vn_short_datetime(step.get("sent_at"))
        row["received_at_text"] = vn_short_datetime(step.get("received_at"))
        row["due_at_text"] = vn_short_datetime(step.get("due_at"))
        row["done_at_text"] = vn_short_datetime(step.get("done_at"))
        steps.append(row)
    ctx["steps"] = steps
    return render_to_string(f"dossiers/pdf/{kind}.html", ctx)


def render_pdf(kind: str, context: dict) -> bytes:
    """Render one form to PDF bytes (A4)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(kind, context)
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(FONT_DIR)).write_pdf(font_config=fonts)


def filename_for(kind: str, code: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-._" else "-" for ch in (code or "ho-so"))
    return f"{FORM_FILE_PREFIX[kind]}-{safe}.pdf"


def sample_context() -> dict:
    """A complete context with every field a form uses (tests, previews and the docs use it)."""
    tz = timezone.get_current_timezone()
    return {
        "issued_at": datetime(2026, 3, 5, 14, 5, tzinfo=tz),
        "number": "0975/TNHS",
        "place": "Hà Tĩnh",
        "unit": {
            "parent_name": "UỶ BAN NHÂN DÂN TỈNH HÀ TĨNH",
            "name": "Trung tâm Phục vụ hành chính công tỉnh",
            "address": "Số 02 đường Nguyễn Tất Thành, phường Thành Sen",
            "phone": "0239 3 888 999",
        },
        "dossier": {
            "code": "H15.50.05.13-260305-0975",
            "lookup_token": "K7QW-9MZD",
            "procedure_code": "1.001193",
            "procedure_name": "Đăng ký khai sinh có yếu tố nước ngoài tại Ủy ban nhân dân cấp xã ở khu vực biên giới",
            "field": "Hộ tịch",
            "applicant_name": "Nguyễn Thị Ánh Tuyết",
            "applicant_id_number": "042187000123",
            "applicant_id_number_masked": "********0123",
            "applicant_address": "Thôn Đồng Quỳnh, xã Thạch Hạ, tỉnh Hà Tĩnh",
            "applicant_phone": "0912 345 678",
            "applicant_email": "tuyet.nguyen@example.vn",
            "subject": "Đăng ký khai sinh cho con: Trần Gia Hưng",
            "received_at": datetime(2026, 3, 5, 14, 5, tzinfo=tz),
            "due_at": datetime(2026, 3, 10, 17, 0, tzinfo=tz),
            "channel_label": "Trực tiếp",
            "result_channel_label": "Nhận trực tiếp tại Bộ phận một cửa",
            "fee": 8000,
            "quantity": 1,
            "desk_officer": "Lê Văn Quyết",
            "handling_unit": "Sở Tư pháp tỉnh Hà Tĩnh",
            "documents": [
                {"name": "Tờ khai đăng ký khai sinh theo mẫu", "copy_type": "Bản chính", "quantity": 1},
                {"name": "Giấy chứng sinh", "copy_type": "Bản chính", "quantity": 1},
                {"name": "Giấy tờ tùy thân của người đi đăng ký", "copy_type": "Bản sao", "quantity": 1},
            ],
        },
        "lookup_url": "https://dichvucong.example.vn/tra-cuu-ho-so/",
        "reason": "Giấy chứng sinh thiếu chữ ký của người đỡ đẻ; đề nghị bổ sung bản có đủ chữ ký.",
        "requested_documents": [
            {"name": "Giấy chứng sinh (có đủ chữ ký người đỡ đẻ)", "copy_type": "Bản chính", "quantity": 1},
        ],
        "new_due_at": datetime(2026, 3, 13, 17, 0, tzinfo=tz),
        "signer_name": "Phạm Minh Đức",
        "signer_title": "GIÁM ĐỐC",
        "signature": {"lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "name": "Phạm Minh Đức", "mode": "kt"},
        "drafter": "Trần Thu Hà",
        "officer_phone": "0239 3 888 999",
        "steps": [
            {"from_unit": "Bộ phận một cửa", "from_user": "Lê Văn Quyết", "to_unit": "Sở Tư pháp", "to_user": "Trần Thu Hà",
             "sent_at": datetime(2026, 3, 5, 14, 20, tzinfo=tz), "received_at": datetime(2026, 3, 5, 15, 0, tzinfo=tz),
             "due_at": datetime(2026, 3, 9, 17, 0, tzinfo=tz), "done_at": datetime(2026, 3, 9, 10, 0, tzinfo=tz),
             "result": "Trước hạn", "on_time": True, "note": ""},
            {"from_unit": "Sở Tư pháp", "from_user": "Trần Thu Hà", "to_unit": "Bộ phận một cửa", "to_user": "Lê Văn Quyết",
             "sent_at": datetime(2026, 3, 9, 10, 0, tzinfo=tz), "received_at": datetime(2026, 3, 9, 10, 30, tzinfo=tz),
             "due_at": datetime(2026, 3, 10, 17, 0, tzinfo=tz), "done_at": None, "result": "Đang xử lý", "on_time": None,
             "note": ""},
        ],
        "result": {"title": "Giấy khai sinh", "number": "125/2026", "summary": "Đã đăng ký khai sinh cho Trần Gia Hưng."},
    }


# ------------------------------------------------------------------------------ from a stored dossier

NUMBER_SUFFIX = {
    "receipt": "TNHS", "supplement": "YCBS", "rejection": "TCHS", "apology": "PXL", "control_sheet": "PKS", "result": "KQ",
}


def unit_header(unit) -> dict:
    """Tên cơ quan chủ quản + tên cơ quan ban hành (top-left block): the one heading rule for every document.

    Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản): the issuing body's name, with the name of its direct
    superior body above it where it has one. Since 1/7/2025 (two-tier local government) a People's Committee of a
    commune/ward/special zone or of a province has no superior line of its own: it is headed "ỦY BAN NHÂN DÂN" over
    its territory's name (never "UBND TỈNH … / XÃ …"); an agency or desk of a committee is headed by
    "UBND <its territory>" over its own name. Receipt, supplement, rejection, apology, control sheet and the
    electronic result all call this function.
    """
    if unit is None:
        return {"parent_name": "", "name": "", "address": ""}
    if unit.kind in ADMINISTRATIVE_KINDS:
        return {"parent_name": "ỦY BAN NHÂN DÂN", "name": unit.name, "address": unit.address}
    parent = unit.parent if unit.parent_id else None
    parent_name = ""
    if parent is not None:
        parent_name = f"UBND {parent.name}" if parent.kind in ADMINISTRATIVE_KINDS else parent.name
    return {"parent_name": parent_name, "name": unit.name, "address": unit.address}


def place_name(unit) -> str:
    """Địa danh of the date line: the province's name without 'Tỉnh'/'Thành phố'."""
    if unit is None:
        return ""
    province = unit.province_unit
    name = (province.short_name or province.name) if province else unit.name
    for prefix in ("Thành phố ", "Tỉnh ", "TP ", "TP. "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _display(user) -> str:
    if user is None:
        return ""
    return user.display_name() if hasattr(user, "display_name") else str(user)


def split_requested_documents(text: str) -> tuple[str, list[dict]]:
    """A supplement reason "Lý do…\n- giấy tờ 1\n- giấy tờ 2" → (reason, [{name}, …]) for Mẫu 02's table."""
    reason_lines, docs = [], []
    for line in (text or "").splitlines():
        if line.startswith("- ") and line[2:].strip():
            docs.append({"name": line[2:].strip(), "copy_type": "", "quantity": 1})
        else:
            reason_lines.append(line)
    return "\n".join(reason_lines).strip(), docs


def dossier_form_context(dossier, kind: str, *, lookup_url: str = "", issued_at=None, extra: dict | None = None,
                         apology=None) -> dict:
    """The plain dict a form needs, read from a stored dossier (and its apology — the given one, else the
    latest — its latest pause, its steps). The apology's signatory is its recorded head, never its drafter."""
    from .models import ResultChannel
    from .selectors import finished_early

    desk = dossier.unit
    issuer = desk
    if kind in ("apology", "result", "control_sheet"):
        issuer = dossier.handling_unit or desk
    docs = []
    # the lines of the checklist version the dossier was received against (catalog selector)
    lines = {r.pk: r for r in checklist_items(checklist=dossier.checklist_id)}
    for doc in dossier.documents.filter(kind="input").order_by("id"):
        req = lines.get(doc.required_document_id)
        copy_type = ""
        if doc.is_electronic:
            copy_type = "Bản điện tử"
        elif req is not None and req.kind == DocumentKind.PRESENT:
            copy_type = "Bản chính (xuất trình)"
        elif req is not None:
            copy_type = "Bản chính" if req.original_copies else "Bản sao"
        quantity = (req.original_copies or req.photocopies or 1) if req is not None else 1
        docs.append({"name": doc.name, "copy_type": copy_type, "quantity": quantity})
    time_text = ""
    if dossier.time_value is not None:
        from cchc.catalog.models import TimeUnit

        value = dossier.time_value.normalize() if hasattr(dossier.time_value, "normalize") else dossier.time_value
        label = dict(TimeUnit.choices).get(dossier.time_unit, "")
        time_text = f"{value:f} {label.lower()}".strip() if dossier.time_unit != "same_day" else "trong ngày"
    steps = []
    for step in dossier.steps.select_related("from_unit", "to_unit", "from_user", "to_user").order_by("seq"):
        if step.finished_at is None:
            result = "Đang xử lý"
        elif step.on_time:
            result = "Trước hạn" if finished_early(step.finished_at, step.due_at) else "Đúng hạn"
        else:
            result = "Quá hạn"
        steps.append({
            "from_unit": step.from_unit.name if step.from_unit_id else "", "from_user": _display(step.from_user),
            "to_unit": step.to_unit.name, "to_user": _display(step.to_user), "sent_at": step.sent_at,
            "received_at": None, "due_at": step.due_at, "done_at": step.finished_at, "result": result,
            "on_time": step.on_time, "note": step.task or step.note,
        })
    if kind == "apology" and apology is None:
        apology = dossier.apologies.order_by("-issued_at").first()
    elif kind != "apology":
        apology = None
    pause = dossier.pauses.order_by("-started_at").first() if kind == "supplement" else None
    reason = ""
    requested: list[dict] = []
    if kind == "apology" and apology is not None:
        reason = apology.reason
        issuer = apology.issuing_unit or issuer
    elif kind == "supplement" and pause is not None:
        reason, requested = split_requested_documents(pause.reason)
    elif kind == "rejection":
        reason = dossier.status_reason
    desk_officer = _display(dossier.created_by)
    if dossier.channel == "online":
        # Online dossiers: the officer who accepted it (audit event dossier.accept) is the receiving officer.
        from cchc.core.models import AuditEvent

        accepted = (AuditEvent.objects.filter(object_type=dossier._meta.label_lower, object_id=dossier.code, action="dossier.accept")
                    .select_related("actor").order_by("seq").first())
        desk_officer = _display(accepted.actor) if accepted and accepted.actor_id else "Tiếp nhận trực tuyến"
    suffix = dossier.code.rsplit("-", 1)[-1] if dossier.code else ""
    ctx = {
        "issued_at": issued_at or {
            "apology": apology.issued_at if apology else None,
            "supplement": pause.started_at if pause else None,
            "receipt": dossier.received_at,
            "rejection": dossier.closed_at,
        }.get(kind) or timezone.now(),
        "number": f"{suffix}/{NUMBER_SUFFIX[kind]}" if suffix else "",
        "place": place_name(desk),
        "unit": unit_header(issuer),
        "dossier": {
            "code": dossier.code,
            "lookup_token": dossier.lookup_token,
            "procedure_code": dossier.procedure.code,
            "procedure_name": dossier.procedure.name,
            "field": dossier.procedure.field,
            "applicant_name": dossier.applicant_name,
            "applicant_id_number": dossier.applicant_id_number,
            "applicant_id_number_masked": mask_id_number(dossier.applicant_id_number),
            "applicant_address": dossier.applicant_address,
            "applicant_phone": dossier.applicant_phone,
            "applicant_email": dossier.applicant_email,
            "received_at": dossier.received_at or dossier.submitted_at,
            "due_at": dossier.due_at,
            "channel_label": dossier.get_channel_display(),
            "result_channel_label": dict(ResultChannel.choices).get(dossier.result_channel, ""),
            "fee": dossier.fee_amount,
            "fee_label": fee_label(amount=dossier.fee_amount, catalogue_text=dossier.procedure.fee_text,
                                   exempt=dossier.payment_status == "exempt"),
            "quantity": 1,
            "desk_officer": desk_officer,
            "desk_unit": desk.name,
            "handling_unit": dossier.handling_unit.name if dossier.handling_unit_id else desk.name,
            "time_limit_text": time_text,
            "documents": docs,
        },
        "lookup_url": lookup_url,
        "reason": reason,
        "requested_documents": requested,
        "new_due_at": apology.new_due_at if apology else None,
        "previous_due_at": apology.due_at if apology else None,
        "issued_late": bool(apology and apology.issued_late),
        "signer_name": _display(dossier.updated_by),
        "signer_title": "",
        "signature": None,
        "drafter": _display(apology.issued_by) if apology else "",
        "steps": steps,
    }
    if apology is not None and apology.signatory_id:
        from .issuance import signature_for

        ctx["signature"] = signature_for(issuer, apology.signatory)
        ctx["signer_name"] = ctx["signature"]["name"]
    if extra:
        ctx.update(extra)
    return ctx
