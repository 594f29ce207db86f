"""The conference report: every figure equals its selector's value on a small hand-built dataset, the period
boundary (30/06 vs 01/07), a missing app, the DOCX and PDF files, the CLI contract and the pages."""

from __future__ import annotations

import io
import json
import subprocess
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.catalog.models import EventKind, ProcedureEvent
from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.selectors import dossier_statistics
from cchc.dossiers.tests.factories import applicant
from cchc.reports import registry
from cchc.reports.compose import compose
from cchc.reports.periods import parse_report_period
from cchc.reports.services import report_build

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 12, 5)


def _receive(world, at):
    return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                    unit_code=world["centre"].code, applicant=applicant(), received_at=at)


def _complete(world, d, at):
    d.refresh_from_db()
    services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["officer"], version=d.version, at=at, reason="")


@pytest.fixture
def data(world):
    """Three dossiers (3 working days each) and two procedure events around the 30/06–01/07 boundary:
    D1 received Tue 30/06 09:00, settled Wed 01/07 09:00 (on time); D2 received Wed 01/07 09:00, still open;
    D3 received Mon 02/03 09:00, settled Fri 20/03 (late, due Thu 05/03). Events: new on 30/06, abolished on 01/07."""
    d1 = _receive(world, datetime(2026, 6, 30, 9, 0, tzinfo=VN))
    _complete(world, d1, datetime(2026, 7, 1, 9, 0, tzinfo=VN))
    _receive(world, datetime(2026, 7, 1, 9, 0, tzinfo=VN))
    d3 = _receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))
    _complete(world, d3, datetime(2026, 3, 20, 9, 0, tzinfo=VN))
    p = world["procedure"]
    ProcedureEvent.objects.create(procedure=p, province=world["province"], kind=EventKind.NEW, decision_no="1/QĐ-UBND",
                                  decision_date=date(2026, 6, 30))
    ProcedureEvent.objects.create(procedure=p, province=world["province"], kind=EventKind.ABOLISHED, decision_no="2/QĐ-UBND",
                                  decision_date=date(2026, 7, 1))
    return world


def _figures(world, code):
    report = compose(province=world["province"], period=parse_report_period(code, today=TODAY))
    return report, {f["key"]: f for f in report["figures"]}


def test_dossier_figures_are_the_hand_counted_ones_on_each_side_of_30_june(data):
    _, h1 = _figures(data, "2026H1")
    # H1: D1 and D3 received; only D3 settled (late: 0 % on time); D1 still in process on 30/06
    assert (h1["dossiers.received_new"]["value"], h1["dossiers.settled"]["value"], h1["dossiers.settled_late"]["value"]) == (2, 1, 1)
    assert h1["dossiers.settled_in_time"]["value"] == 0 and h1["dossiers.on_time_rate"]["value"] == 0.0
    assert h1["dossiers.in_process"]["value"] == 1
    assert (h1["procedures.new"]["value"], h1["procedures.abolished"]["value"]) == (1, 0)
    _, year = _figures(data, "2026")
    # the year: all three received, D1 (on time) and D3 (late) settled → 50 %; D2 open and long past its due time
    assert (year["dossiers.received_new"]["value"], year["dossiers.settled"]["value"]) == (3, 2)
    assert year["dossiers.on_time_rate"]["value"] == 50.0 and year["dossiers.settled_in_time"]["value"] == 1
    assert (year["dossiers.in_process"]["value"], year["dossiers.in_process_overdue"]["value"]) == (1, 1)
    assert (year["procedures.new"]["value"], year["procedures.abolished"]["value"]) == (1, 1)
    assert year["dossiers.on_time_rate"]["text"] == "50,00%"


@pytest.mark.parametrize("code, date_to", [("2026H1", date(2026, 6, 30)), ("2026", TODAY)])
def test_every_dossier_and_procedure_figure_equals_its_selector(data, code, date_to):
    from cchc.catalog.selectors import simplification_report

    report, figs = _figures(data, code)
    [live] = dossier_statistics(date_from=date(2026, 1, 1), date_to=date_to, group_by=(),
                                units=list(__import__("cchc.units.models", fromlist=["Unit"]).Unit.objects.all()))
    live["settled_in_time"] = live["settled_early"] + live["settled_on_time"]
    simp = simplification_report(province=data["province"], date_from=date(2026, 1, 1), date_to=date_to)
    checked = 0
    for key, f in figs.items():
        prefix, name = key.split(".", 1)
        if prefix in ("dossiers", "digital") and name in live:
            assert f["value"] == live[name], key
            checked += 1
        elif prefix == "procedures":
            assert f["value"] == simp[name], key
            checked += 1
        assert f["query"] and f["no"] == report["figures"].index(f) + 1
    assert checked >= 20
    assert [f["no"] for f in report["figures"]] == list(range(1, len(report["figures"]) + 1))


def test_a_section_whose_app_is_not_installed_says_the_data_is_not_available(data):
    entries = [registry.Entry("I", "Kế hoạch CCHC", "cchc.notinstalled.selectors.report_section", "cchc.notinstalled"),
               registry.Entry("I", "Kiểm tra", "cchc.dossiers.no_such_module.report_section", "cchc.dossiers"),
               registry.Entry("II", "Cải cách thể chế", None, None)]
    report = compose(province=data["province"], period=parse_report_period("2026", today=TODAY), entries=entries)
    first, second = report["parts"][0]["sections"]
    assert not first["available"] and "Chưa có số liệu" in first["note"] and "notinstalled" in first["note"]
    assert not second["available"] and "Chưa có số liệu" in second["note"]
    [third] = report["parts"][1]["sections"]
    assert not third["available"] and "chưa quản lý số liệu" in third["note"]
    assert report["figures"] == []


def test_other_apps_sections_are_wired_in_when_installed():
    from django.apps import apps

    for e in registry.SECTIONS:
        if e.app and apps.is_installed(e.app):
            func, why = registry.resolve(e)
            assert func is not None, (e.path, why)


def test_the_docx_opens_and_holds_the_motto_the_signature_and_the_sources_appendix(data):
    from docx import Document

    report, blob = report_build(province=data["province"], period_text="2026", fmt="docx", today=TODAY)
    doc = Document(io.BytesIO(blob))
    texts = [p.text for p in doc.paragraphs]
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells[1] or any("CỘNG HÒA" in c for c in cells)
    assert any("TM. ỦY BAN NHÂN DÂN" in c and "CHỦ TỊCH" in c for c in cells)
    assert any("NGUỒN SỐ LIỆU" in t for t in texts)
    sources = doc.tables[-1]
    assert [c.text for c in sources.rows[0].cells] == ["Số", "Chỉ tiêu", "Giá trị", "Truy vấn (nguồn)"]
    assert len(sources.rows) == len(report["figures"]) + 1
    row = {r.cells[0].text: r for r in sources.rows[1:]}
    rate = next(f for f in report["figures"] if f["key"] == "dossiers.on_time_rate")
    assert row[f"[{rate['no']}]"].cells[2].text == "50,00%" and "rollup_statistics" in row[f"[{rate['no']}]"].cells[3].text
    assert any("số liệu tính đến ngày 05/12/2026" in t for t in texts)


def test_the_pdf_text_keeps_vietnamese_diacritics(data, tmp_path):
    _, blob = report_build(province=data["province"], period_text="2026H1", fmt="pdf", today=TODAY)
    path = tmp_path / "r.pdf"
    path.write_bytes(blob)
    text = unicodedata.normalize("NFC", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout)
    for phrase in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn",
                   "TM. ỦY BAN NHÂN DÂN", "NGUỒN SỐ LIỆU", "6 tháng đầu năm 2026"):
        assert phrase in text, phrase


# ------------------------------------------------------------------------------------------------- CLI

def _cli(capsys, *args):
    from cchc.cli import main

    code = main(["report", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_writes_the_file_and_prints_the_json_contract(data, tmp_path, capsys):
    out_file = tmp_path / "bc.docx"
    code, out, err = _cli(capsys, "--province", "T99", "--period", "2026H1", "--format", "docx", "-o", str(out_file), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert set(payload) == {"province", "period", "format", "file", "figures"}
    assert (payload["province"], payload["period"], payload["format"], payload["file"]) == ("T99", "2026H1", "docx", str(out_file))
    assert payload["figures"] > 20 and out_file.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("args, flag", [
    (["--province", "ZZ", "--period", "2026", "--format", "pdf"], "--province"),
    (["--province", "T99", "--period", "2026H2", "--format", "pdf"], "--period"),
    (["--province", "T99", "--period", "2099", "--format", "pdf"], "--period"),
    (["--province", "T99", "--period", "2026", "--format", "odt"], "--format"),
])
def test_cli_bad_input_exits_2_naming_the_flag_and_writes_nothing(data, tmp_path, capsys, args, flag):
    out_file = tmp_path / "x.pdf"
    code, out, err = _cli(capsys, *args, "-o", str(out_file))
    assert code == 2 and err.startswith(f"lỗi: {flag}") and out == ""
    assert not out_file.exists()


def test_cli_refuses_an_unwritable_output(data, tmp_path, capsys):
    code, _, err = _cli(capsys, "--province", "T99", "--period", "2026", "--format", "pdf", "-o", str(tmp_path / "no" / "x.pdf"))
    assert code == 2 and err.startswith("lỗi: -o")
    code, _, err = _cli(capsys, "--province", "T99", "--period", "2026", "--format", "pdf", "-o", str(tmp_path))
    assert code == 2 and err.startswith("lỗi: -o")


# ----------------------------------------------------------------------------------------------- pages

def test_par_office_previews_and_downloads_its_province_report(data, par_office, client):
    client.force_login(par_office)
    r = client.get("/bao-cao-cchc/?ky=2026H1")
    assert r.status_code == 200 and "Sơ kết 6 tháng đầu năm 2026" in r.content.decode()
    r = client.get("/bao-cao-cchc/xem/?ky=2026H1")
    html = r.content.decode()
    assert r.status_code == 200 and "TM. ỦY BAN NHÂN DÂN" in html and "NGUỒN SỐ LIỆU" in html
    r = client.get("/bao-cao-cchc/tai/?ky=2026H1&dinh_dang=docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bao-cao-cchc-so-ket-6-thang-2026-tinh-T99.docx" in r["Content-Disposition"]
    assert client.get("/bao-cao-cchc/tai/?ky=2026H1&dinh_dang=odt").status_code == 400
    assert client.get("/bao-cao-cchc/xem/?ky=2026H7").status_code == 400


def test_other_staff_and_other_provinces_are_refused(data, par_office, client):
    client.force_login(data["specialist"])
    assert client.get("/bao-cao-cchc/").status_code == 403
    client.force_login(par_office)
    assert client.get(f"/bao-cao-cchc/xem/?tinh={data['other_province'].code}").status_code == 403
    client.logout()
    assert client.get("/bao-cao-cchc/").status_code == 302


def test_other_apps_sections_appear_unchanged_and_numbered_in_the_report(data):
    """Each installed app's section is quoted as it returns it: same values, same queries, keys made unique."""
    from django.apps import apps

    period = parse_report_period("2026", today=TODAY)
    report = compose(province=data["province"], period=period)
    by_no = {f["no"]: f for f in report["figures"]}
    seen = 0
    for e in registry.SECTIONS:
        if not e.app or e.path.startswith("cchc.reports.") or not apps.is_installed(e.app):
            continue
        func, _ = registry.resolve(e)
        own = func(data["province"], period.start, period.data_to)["figures"]
        quoted = [f for f in by_no.values() if f["section"] == e.heading]
        assert [(f["value"], f["query"]) for f in quoted] == [(f["value"], f["query"]) for f in own]
        assert all(f["key"].startswith(e.app.rsplit(".", 1)[-1] + ".") for f in quoted)
        seen += 1
    assert seen == sum(1 for e in registry.SECTIONS if e.app and not e.path.startswith("cchc.reports.") and apps.is_installed(e.app))


def _closing_probe(strength_lines: int) -> dict:
    """A report with nothing but `strength_lines` one-line strengths, two directions and the closing block: moving the
    page break line by line across the closing block, whatever the other sections hold."""
    from types import SimpleNamespace

    return {
        "header": {"issuer_lines": ["ỦY BAN NHÂN DÂN", "TỈNH THỬ"], "number": "Số:        /BC-UBND", "title": "BÁO CÁO",
                   "place_date": "Thử, ngày 05 tháng 12 năm 2026", "subtitle": "Kết quả thực hiện công tác CCHC năm 2026",
                   "coverage": "Kỳ báo cáo", "issuer_inline": "UBND tỉnh Thử"},
        "parts": [], "assessment": {"strengths": [f"Dòng {i}." for i in range(strength_lines)], "weaknesses": []},
        "assessment_title": "ĐÁNH GIÁ CHUNG", "directions_title": "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
        "directions": ["Tiếp tục triển khai kế hoạch.", "Rà soát, đơn giản hóa thủ tục hành chính."],
        "recipients": ["Bộ Nội vụ;", "Lưu: VT, SNV."], "signature": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        "appendix_tables": [], "sources_reference": "Phụ lục I", "figures": [], "period": SimpleNamespace(label="năm 2026"),
    }


def test_the_signature_block_never_stands_alone_on_a_page(tmp_path):
    """The last direction, "Nơi nhận" and the signature stay on one page, in the PDF (break-inside: avoid) and in the
    DOCX (keep with next, row not split). Before the fix 16–20 strength lines left the signature alone on page 2."""
    from docx import Document

    from cchc.reports.render import docx_bytes, pdf_bytes

    crossed = False
    for n in (14, 16, 18, 20, 22):
        path = tmp_path / f"r{n}.pdf"
        path.write_bytes(pdf_bytes(_closing_probe(n)))
        pages = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout.split("\f")
        sig = next(i for i, p in enumerate(pages) if "CHỦ TỊCH" in p)
        assert "Rà soát, đơn giản hóa thủ tục hành chính." in pages[sig], f"{n} dòng: chữ ký đứng một mình ở trang {sig + 1}"
        assert "Nơi nhận" in pages[sig]
        crossed |= sig > 0
    assert crossed, "no probe pushed the closing block to the next page: re-calibrate the line counts"
    doc = Document(io.BytesIO(docx_bytes(_closing_probe(3))))
    last = next(p for p in doc.paragraphs if p.text.startswith("2. Rà soát"))
    assert last.paragraph_format.keep_with_next is True
    closing_row = doc.tables[1].rows[0]._tr
    assert closing_row.trPr is not None and closing_row.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None


def test_empty_figures_read_as_words_and_zero_is_no_strength(data):
    """No feedback answered → "chưa có số liệu", never a bare "%"; a section with a note does not add "Không phát sinh
    số liệu"; no CLI command in the text; a 0% online share is a weakness, not a strength."""
    from cchc.reports.render import html_document

    report, figs = _figures(data, "2026")
    assert figs["feedback.feedback_answered_on_time_rate"]["text"] == "chưa có số liệu"
    assert figs["digital.online_share"]["value"] == 0
    assert not any("trực tuyến" in s for s in report["assessment"]["strengths"])
    assert any(s.startswith("Tỷ lệ hồ sơ tiếp nhận trực tuyến chỉ đạt 0,00%") for s in report["assessment"]["weaknesses"])
    html = html_document(report)
    assert "cchc setup" not in html and ": <strong>%</strong>" not in html
    si766 = next(s for p in report["parts"] for s in p["sections"] if s["heading"].startswith("Chỉ số phục vụ"))
    assert si766["note"] and not si766["figures"]
    section = html.split("Chỉ số phục vụ người dân")[1].split("<h2>")[0]
    assert "Không phát sinh số liệu" not in section


def test_other_apps_overdue_figures_are_named_by_their_section():
    """"Trả lời quá hạn: 16 phản ánh" alone does not say it is citizen feedback: one sentence per section, headed by it."""
    from cchc.reports.compose import assessment

    figs = [
        {"key": "feedback.feedback_answered_late", "label": "Trả lời quá hạn", "value": 16, "text": "16 phản ánh", "no": 25,
         "section": "Tiếp nhận, xử lý phản ánh, kiến nghị"},
        {"key": "feedback.feedback_open_overdue", "label": "Đang xử lý quá hạn", "value": 9, "text": "9 phản ánh", "no": 27,
         "section": "Tiếp nhận, xử lý phản ánh, kiến nghị"},
        {"key": "feedback.feedback_open", "label": "Đang xử lý", "value": 5, "text": "5 phản ánh", "no": 26,
         "section": "Tiếp nhận, xử lý phản ánh, kiến nghị"},
        {"key": "inspections.recommendations_late", "label": "Kiến nghị hoàn thành trễ hạn", "value": 0, "text": "0 kiến nghị", "no": 20,
         "section": "Công tác kiểm tra cải cách hành chính"},
    ]
    weak = assessment({f["key"]: f for f in figs}, figs)["weaknesses"]
    assert weak == ["Tiếp nhận, xử lý phản ánh, kiến nghị: trả lời quá hạn 16 phản ánh [25]; đang xử lý quá hạn 9 phản ánh [27]."]
