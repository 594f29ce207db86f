"""PDF forms (Mẫu 01–04, phiếu kiểm soát, kết quả): A4, Noto Serif embedded, Vietnamese text intact."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from cchc.dossiers import documents

pytestmark = pytest.mark.django_db


def _poppler(tool: str, data: bytes, *args: str) -> str:
    """Run a poppler-utils tool (installed with pdftoppm) on PDF bytes."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run([tool, *args, tmp.name, *(["-"] if tool == "pdftotext" else [])], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_text(data: bytes) -> str:
    return _poppler("pdftotext", data, "-layout")


def pdf_info(data: bytes) -> dict:
    info = {}
    for line in _poppler("pdfinfo", data).splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def pdf_fonts(data: bytes) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) of every font in the PDF."""
    rows = _poppler("pdffonts", data).splitlines()[2:]
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


@pytest.fixture(scope="module")
def rendered():
    ctx = documents.sample_context()
    return {kind: documents.render_pdf(kind, ctx) for kind in documents.FORM_KINDS}


@pytest.mark.parametrize("kind, title", [
    ("receipt", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ("supplement", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    ("rejection", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    ("apology", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    ("control_sheet", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
])
def test_each_form_has_the_motto_header_its_title_and_fits_one_a4_page(rendered, kind, title):
    data = rendered[kind]
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert title in text
    assert "Hà Tĩnh, ngày 05 tháng 3 năm 2026" in text
    info = pdf_info(data)
    assert info["Pages"] == "1"
    assert "(A4)" in info["Page size"]


def test_forms_embed_noto_serif_and_no_other_font(rendered):
    fonts = pdf_fonts(rendered["receipt"])
    assert fonts
    for name, embedded in fonts:
        assert "Noto-Serif" in name or "NotoSerif" in name, name
        assert embedded == "yes"


def test_receipt_carries_code_token_dates_channel_officer_and_lookup_link(rendered):
    text = pdf_text(rendered["receipt"])
    for expected in ("H15.50.05.13-260305-0975", "K7QW-9MZD", "Nguyễn Thị Ánh Tuyết", "14 giờ 05 phút, ngày 05/03/2026",
                     "17 giờ 00 phút, ngày 10/03/2026", "Nhận trực tiếp tại Bộ phận một cửa", "Lê Văn Quyết",
                     "https://dichvucong.example.vn/tra-cuu-ho-so/", "Giấy chứng sinh", "8.000 đồng"):
        assert expected in " ".join(text.split()), expected


def test_apology_states_reason_and_new_date(rendered):
    text = " ".join(pdf_text(rendered["apology"]).split())
    assert "Giấy chứng sinh thiếu chữ ký" in text
    assert "17 giờ 00 phút, ngày 13/03/2026" in text
    assert "Kính gửi: Nguyễn Thị Ánh Tuyết" in text


def test_control_sheet_lists_every_hand_over_with_its_timeliness(rendered):
    text = " ".join(pdf_text(rendered["control_sheet"]).split())
    assert "Trước hạn" in text and "Đang xử lý" in text
    assert text.count("Trần Thu Hà") >= 2


@pytest.mark.parametrize("day, expected", [
    (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
    (date(2026, 1, 15), "ngày 15 tháng 01 năm 2026"),
    (date(2026, 2, 9), "ngày 09 tháng 02 năm 2026"),
    (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
    (None, "ngày ..... tháng ..... năm ........"),
])
def test_date_line_follows_the_administrative_writing_rule(day, expected):
    assert documents.vn_date_line(day) == expected


@pytest.mark.parametrize("value, expected", [
    (0, "Theo quy định (xem thông tin thủ tục)"), (8000, "8.000 đồng"), (1250000, "1.250.000 đồng"),
    (None, "Theo quy định (xem thông tin thủ tục)"),
])
def test_money_is_written_with_dots_between_thousands(value, expected):
    from cchc.catalog.feeparse import fee_label

    assert fee_label(amount=value) == expected


@pytest.mark.parametrize("on, circular, control_number", [
    (date(2024, 12, 31), "01/2018/TT-VPCP", "05"),
    (date(2025, 7, 1), "03/2025/TT-VPCP", "06"),
    (date(2026, 11, 26), "03/2025/TT-VPCP", "06"),
])
def test_form_numbers_come_from_the_circular_in_force_on_the_issue_date(on, circular, control_number):
    assert documents.catalogue_for(on).circular == circular
    assert documents.form_spec("control_sheet", on).number == control_number
    assert documents.form_spec("receipt", on).number == "01"


def test_an_aware_datetime_is_shown_in_local_time():
    moment = datetime(2026, 3, 5, 7, 5, tzinfo=timezone.get_fixed_timezone(0))
    assert documents.vn_datetime(moment) == "14 giờ 05 phút, ngày 05/03/2026"


def test_unknown_form_kind_is_refused():
    with pytest.raises(ValueError):
        documents.render_html("nope", documents.sample_context())


def test_fonts_are_installed():
    assert documents.missing_fonts() == []


def test_forms_from_a_stored_dossier_use_its_data(world):
    from cchc.dossiers import services
    from cchc.dossiers.tests.factories import applicant

    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                 applicant=applicant(name="Đặng Thuỳ Trâm"), documents=["Tờ khai"])
    ctx = documents.dossier_form_context(d, "receipt", lookup_url="https://x.vn/tra-cuu-ho-so/")
    assert ctx["dossier"]["code"] == d.code and ctx["dossier"]["lookup_token"] == d.lookup_token
    assert ctx["unit"]["parent_name"] == "UBND Tỉnh Thử nghiệm"
    assert ctx["place"] == "Thử nghiệm"
    assert ctx["dossier"]["time_limit_text"] == "3 ngày làm việc"
    text = " ".join(pdf_text(documents.render_pdf("receipt", ctx)).split())
    assert "Đặng Thuỳ Trâm" in text and d.code in text and "200.000 đồng" in text
