"""Index pages: home with national history, cycle screens (self-assessment → appraisal → explanation →
published), results with rank arrows and heat map, lost points, path to target. Errors never give a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.accounts.models import Role, User
from cchc.indices import services
from cchc.indices.models import Assessment
from cchc.surveys.models import PublishedResult
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

ROWS = [
    {"code": "1", "parent": "", "title": "Công tác chỉ đạo, điều hành", "max_points": "6"},
    {"code": "1.1", "parent": "1", "title": "Kế hoạch CCHC năm", "max_points": "2"},
    {"code": "1.2", "parent": "1", "title": "Báo cáo CCHC", "max_points": "4"},
    {"code": "2", "parent": "", "title": "Cải cách thủ tục hành chính", "max_points": "4"},
    {"code": "2.1", "parent": "2", "title": "Công khai TTHC", "max_points": "4", "effort": "low"},
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def w(db):
    province = Unit.objects.create(code="P1", name="Tỉnh Một", kind=UnitKind.PROVINCE)
    home_affairs = Unit.objects.create(code="P1-NV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    dept = Unit.objects.create(code="P1-TP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    dept2 = Unit.objects.create(code="P1-XD", name="Sở Xây dựng", kind=UnitKind.DEPARTMENT, parent=province)
    par = User.objects.create_user("par", password="pass12345", role=Role.PAR_OFFICE, unit=home_affairs)
    head = User.objects.create_user("head", password="pass12345", role=Role.UNIT_HEAD, unit=dept)
    head2 = User.objects.create_user("head2", password="pass12345", role=Role.UNIT_HEAD, unit=dept2)
    cs = services.criteria_set_create(code="T-2025", name="Bộ tiêu chí thử", year=2025, target_group="department", rows=ROWS)
    cycle = services.cycle_open(criteria_set=cs, organiser=province, year=2025, units=[dept, dept2], actor=par)
    return {"province": province, "dept": dept, "dept2": dept2, "par": par, "head": head, "head2": head2, "cycle": cycle}


def sheet_save(client, w, unit, code, HTTP_HX_REQUEST=None, **data):
    headers = {"HX-Request": "true"} if HTTP_HX_REQUEST else {}
    return client.post(reverse("indices:sheet_save", args=[w["cycle"].pk, unit.pk, code]), data, headers=headers)


def transition(client, w, to_state, confirm=True):
    data = {"to_state": to_state, **({"confirm": "1"} if confirm else {})}
    return client.post(reverse("indices:transition", args=[w["cycle"].pk]), data)


def test_home_shows_cycles_and_the_national_history_with_arrows_sources_and_flags(client, w):
    PublishedResult.objects.create(index_kind="par_index", year=2022, entity_name="Tỉnh Một", unit=w["province"], score=Decimal("80.10"),
                                   rank=30, rank_of=63, source_url="https://a.example/2022", source_name="Báo A", source_key="a")
    PublishedResult.objects.create(index_kind="par_index", year=2023, entity_name="Tỉnh Một", unit=w["province"], score=Decimal("85.00"),
                                   rank=18, rank_of=63, source_url="https://b.example/2023", source_name="Báo B", source_key="b",
                                   flagged=True, flags=["Biến động ghi +9.99 không khớp"])
    client.force_login(w["par"])
    html = client.get(reverse("indices:home")).content.decode()
    assert "Bộ tiêu chí thử" in html
    assert "▲12" in html and "https://b.example/2023" in html
    assert "⚠" in html and "Biến động ghi +9.99 không khớp" in html
    assert "chart.umd.min.js" in html and "national-charts" in html


def test_the_whole_cycle_through_the_pages(client, w):
    client.force_login(w["par"])
    assert transition(client, w, "self_assessment").status_code == 302

    client.force_login(w["head"])
    page = client.get(reverse("indices:sheet", args=[w["cycle"].pk, w["dept"].pk]))
    assert page.status_code == 200 and "0</b>/<span id=\"progress-total\">3" in page.content.decode()
    too_many = sheet_save(client, w, w["dept"], "1.1", action="self", points="5", HTTP_HX_REQUEST="true")
    assert too_many.status_code == 200 and "vượt điểm tối đa" in too_many.content.decode()
    ok = sheet_save(client, w, w["dept"], "1.1", action="self", points="2", explanation="Có kế hoạch",
                    ev_title="Kế hoạch 12/KH-STP", ev_number="12/KH-STP", ev_date="2025-01-05", HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Đã lưu" in ok.content.decode() and "sheetProgress" in ok["HX-Trigger"]
    assert sheet_save(client, w, w["dept"], "1.2", action="self", points="4").status_code == 302
    sheet_save(client, w, w["dept"], "2.1", action="self", points="4")
    # another unit's sheet cannot be written
    sheet_save(client, w, w["dept2"], "1.1", action="self", points="2")
    assert not Assessment.objects.filter(unit=w["dept2"]).exists()
    client.force_login(w["head2"])
    sheet_save(client, w, w["dept2"], "1.1", action="self", points="1")
    sheet_save(client, w, w["dept2"], "2.1", action="self", points="2")

    client.force_login(w["par"])
    transition(client, w, "appraisal_1")
    no_reason = sheet_save(client, w, w["dept"], "2.1", action="appraise", points="3", HTTP_HX_REQUEST="true")
    assert "lý do" in no_reason.content.decode()
    sheet_save(client, w, w["dept"], "2.1", action="appraise", points="3", reason="Thiếu 1 thủ tục chưa công khai")
    transition(client, w, "explanation")

    client.force_login(w["head"])
    sheet_save(client, w, w["dept"], "2.1", action="explain", explanation="Đã công khai ngày 2/1")
    again = sheet_save(client, w, w["dept"], "2.1", action="explain", explanation="lần hai", HTTP_HX_REQUEST="true")
    assert "một lần" in again.content.decode()

    client.force_login(w["par"])
    transition(client, w, "appraisal_2")
    page = client.get(reverse("indices:sheet", args=[w["cycle"].pk, w["dept"].pk])).content.decode()
    assert "Thiếu 1 thủ tục chưa công khai" in page and "Đã công khai ngày 2/1" in page
    sheet_save(client, w, w["dept"], "2.1", action="appraise", points="3.5", reason="Chấp nhận một phần giải trình")
    transition(client, w, "published")
    w["cycle"].refresh_from_db()
    assert w["cycle"].state == "published"

    results = client.get(reverse("indices:results", args=[w["cycle"].pk])).content.decode()
    assert "Sở Tư pháp" in results and "9,50" in results and "hsl(" in results
    lost = client.get(reverse("indices:lost", args=[w["cycle"].pk])).content.decode()
    assert "−0,50" in lost and "Đã công khai ngày 2/1" in lost
    xlsx = client.get(reverse("indices:lost", args=[w["cycle"].pk]), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("indices:lost", args=[w["cycle"].pk]), {"format": "pdf", "don_vi": w["dept"].pk})
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    target = client.get(reverse("indices:target", args=[w["cycle"].pk]), {"don_vi": w["dept2"].pk, "hang": "1"})
    assert target.status_code == 200 and "cần đạt" in target.content.decode()
    bad = client.get(reverse("indices:target", args=[w["cycle"].pk]), {"don_vi": w["dept2"].pk, "hang": "0"})
    assert bad.status_code == 400
    peers = "Quảng Ninh, 92,18\nHải Phòng; 91.87\n90,5\n"
    national = client.get(reverse("indices:target", args=[w["cycle"].pk]), {"don_vi": w["dept2"].pk, "hang": "2", "bang_so_sanh": peers})
    assert national.status_code == 200 and "91,87" in national.content.decode()  # needed score to pass Hải Phòng's rank
    garbage = client.get(reverse("indices:target", args=[w["cycle"].pk]), {"don_vi": w["dept2"].pk, "hang": "2", "bang_so_sanh": "abc"})
    assert garbage.status_code == 400 and "dòng 1" in garbage.content.decode()
    late = sheet_save(client, w, w["dept"], "2.1", action="appraise", points="1", reason="x", HTTP_HX_REQUEST="true")
    assert late.status_code == 200 and "error" in late.content.decode()


def test_citizens_and_anonymous_users_cannot_open_the_index_pages(client, w):
    assert client.get(reverse("indices:home")).status_code == 302  # to the login page
    citizen = User.objects.create_user("dan", password="pass12345", role=Role.CITIZEN)
    client.force_login(citizen)
    assert client.get(reverse("indices:home")).status_code == 403
    assert client.get(reverse("indices:cycle", args=[w["cycle"].pk])).status_code == 403


def test_invalid_transition_is_a_message_not_a_500(client, w):
    client.force_login(w["par"])
    resp = client.post(reverse("indices:transition", args=[w["cycle"].pk]), {"to_state": "published"}, follow=True)
    assert resp.status_code == 200 and "Không thể chuyển" in resp.content.decode()


def test_cycle_pages_are_hidden_outside_the_scope(client, w):
    other = Unit.objects.create(code="P2", name="Tỉnh Hai", kind=UnitKind.PROVINCE)
    outsider = User.objects.create_user("out", password="pass12345", role=Role.PAR_OFFICE, unit=other)
    client.force_login(outsider)
    assert client.get(reverse("indices:cycle", args=[w["cycle"].pk])).status_code == 404
    assert client.get(reverse("indices:results", args=[w["cycle"].pk])).status_code == 404


def test_import_page_shows_the_summary_with_flags(client, w, tmp_path):
    client.force_login(w["par"])
    csv = ("nam,loai_don_vi,don_vi,chi_so_pct,thu_hang,tong_so_don_vi,kieu_thu_hang,nhom,chi_so_nam_truoc_pct_theo_nguon,"
           "bien_dong_pct_theo_nguon,bien_dong_thu_hang_theo_nguon,nguon_tin,source_url,ghi_chu\n"
           "2024,tỉnh,Hải Phòng,90.59,1,63,chính xác,,,+1.69,,P,https://a.example,\n"
           "2023,tỉnh,Hải Phòng,88.09,5,63,chính xác,,,,,D,https://b.example,\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    resp = client.post(reverse("indices:import"), {"file": SimpleUploadedFile("sipas_2024.csv", csv.encode()), "index_kind": ""})
    assert resp.status_code == 200 and "88,90" in resp.content.decode()
    bad = client.post(reverse("indices:import"), {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")})
    assert bad.status_code == 400


def test_evidence_file_upload_and_scoped_download(client, w, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.indices.models import Evidence

    settings.MEDIA_ROOT = tmp_path
    client.force_login(w["par"])
    transition(client, w, "self_assessment")
    client.force_login(w["head"])
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 kiem chung", content_type="application/pdf")
    resp = client.post(reverse("indices:sheet_save", args=[w["cycle"].pk, w["dept"].pk, "1.1"]),
                       {"action": "self", "points": "2", "ev_title": "Kế hoạch", "ev_file": pdf})
    assert resp.status_code == 302
    ev = Evidence.objects.get(file__isnull=False, title="Kế hoạch")
    page = client.get(reverse("indices:sheet", args=[w["cycle"].pk, w["dept"].pk])).content.decode()
    assert reverse("indices:evidence", args=[ev.pk]) in page
    download = client.get(reverse("indices:evidence", args=[ev.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(w["head2"])  # another department's head may not read it
    assert client.get(reverse("indices:evidence", args=[ev.pk])).status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "%", " "])
def test_lost_points_page_with_a_malformed_unit_filter_shows_all_units_instead_of_a_500(client, w, value):
    client.force_login(w["par"])
    url = reverse("indices:lost", args=[w["cycle"].pk])
    response = client.get(url, {"don_vi": value})
    assert response.status_code == 200
    assert "Báo cáo điểm bị trừ" in response.content.decode()
    assert client.get(url, {"don_vi": value, "format": "pdf"}).status_code in (200, 302)


def test_a_data_driven_score_is_explained_in_vietnamese_with_a_decimal_comma(client, w):
    rows = [{"code": "1", "parent": "", "title": "Thủ tục", "max_points": "6"},
            {"code": "1.1", "parent": "1", "title": "Tỷ lệ hồ sơ đúng hạn", "max_points": "6", "method": "data_threshold",
             "rule": {"type": "threshold_linear", "target": 98, "metric": "on_time_rate"}}]
    cs = services.criteria_set_create(code="T-DATA", name="Bộ số liệu", year=2025, target_group="department", rows=rows)
    cycle = services.cycle_open(criteria_set=cs, organiser=w["province"], year=2025, units=[w["dept"]], actor=w["par"])
    services.criterion_data_import(cycle=cycle, rows=[{"unit": w["dept"].code, "metric": "on_time_rate", "value": "92.31"}], actor=w["par"])
    services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=w["par"])
    client.force_login(w["head"])
    html = client.get(reverse("indices:sheet", args=[cycle.pk, w["dept"].pk])).content.decode()
    assert "Tính tự động từ số liệu (92,31)" in html
    assert "on_time_rate" not in html


def test_import_summary_names_the_format_and_index_in_vietnamese(client, w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(w["par"])
    csv = ("nam,loai_don_vi,don_vi,chi_so_pct,thu_hang,tong_so_don_vi,kieu_thu_hang,nhom,chi_so_nam_truoc_pct_theo_nguon,"
           "bien_dong_pct_theo_nguon,bien_dong_thu_hang_theo_nguon,nguon_tin,source_url,ghi_chu\n"
           "2024,tỉnh,Hải Phòng,90.59,1,63,chính xác,,,,,P,https://a.example,\n")
    html = client.post(reverse("indices:import"), {"file": SimpleUploadedFile("sipas_2024.csv", csv.encode())}).content.decode()
    assert "Chỉ số hài lòng (SIPAS)" in html and "kết quả từng đơn vị" in html
    assert "<b>sipas</b>" not in html and "<b>results</b>" not in html


def test_home_charts_span_the_years_and_name_the_years_without_a_published_figure(client, w):
    for year, score in ((2019, "80.05"), (2022, "84.00")):
        PublishedResult.objects.create(index_kind="sipas", year=year, entity_name="Tỉnh Một", unit=w["province"], score=Decimal(score),
                                       source_url=f"https://a.example/{year}", source_name="Báo A", source_key=f"a{year}")
    client.force_login(w["par"])
    html = client.get(reverse("indices:home")).content.decode()
    assert "SIPAS: chưa có điểm hay thứ hạng toàn quốc đã công bố" in html and "2020, 2021" in html and "không nội suy" in html
    assert '"years": [2019, 2020, 2021, 2022]' in html and "spanGaps: false" in html
