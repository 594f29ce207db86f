"""Browser journey (Playwright + Debian chromium): one unit's self-assessment through appraisal,
explanation and second appraisal to the published ranking, plus the national-index home page."""

from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "matkhau-123"
ROWS = [
    {"code": "1", "parent": "", "title": "Công tác chỉ đạo, điều hành cải cách hành chính", "max_points": "6"},
    {"code": "1.1", "parent": "1", "title": "Ban hành kế hoạch CCHC năm đúng hạn", "max_points": "2"},
    {"code": "1.2", "parent": "1", "title": "Báo cáo CCHC định kỳ đầy đủ, đúng hạn", "max_points": "4"},
    {"code": "2", "parent": "", "title": "Cải cách thủ tục hành chính", "max_points": "4"},
    {"code": "2.1", "parent": "2", "title": "Công khai thủ tục hành chính đầy đủ, đúng hạn", "max_points": "4", "effort": "low"},
]


@pytest.fixture
def journey_world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from cchc.accounts.models import Role, User
    from cchc.indices import services
    from cchc.surveys.models import PublishedResult
    from cchc.units.models import Unit, UnitKind

    province = Unit.objects.create(code="BT", name="Tỉnh Bình Thử", kind=UnitKind.PROVINCE)
    home_affairs = Unit.objects.create(code="BT-NV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    justice = Unit.objects.create(code="BT-TP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    building = Unit.objects.create(code="BT-XD", name="Sở Xây dựng", kind=UnitKind.DEPARTMENT, parent=province)
    par = User.objects.create_user("noivu", password=PASSWORD, role=Role.PAR_OFFICE, unit=home_affairs, full_name="Chuyên viên Sở Nội vụ")
    User.objects.create_user("giamdoc.tp", password=PASSWORD, role=Role.UNIT_HEAD, unit=justice, full_name="Giám đốc Sở Tư pháp")
    cs = services.criteria_set_create(code="BT-SO-2025", name="Chỉ số CCHC các sở 2025", year=2025, target_group="department", rows=ROWS)
    cycle = services.cycle_open(criteria_set=cs, organiser=province, year=2025, units=[justice, building], actor=par)
    # the other department's scores are already in (seeded through the services)
    services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=par)
    for code, pts in (("1.1", "1"), ("1.2", "3"), ("2.1", "2")):
        services.assessment_self_assess(cycle=cycle, unit=building, criterion=code, points=pts, actor=None)
    for year, score, rank, flags in ((2022, "80.10", 30, []), (2023, "84.20", 18, ["Biến động ghi +9.99 không khớp với điểm năm 2022"])):
        PublishedResult.objects.create(index_kind="par_index", year=year, entity_name="Bình Thử", unit=province, score=Decimal(score),
                                       rank=rank, rank_of=63, source_url=f"https://bao.example/{year}", source_name="Báo Chính phủ",
                                       source_key=str(year), flagged=bool(flags), flags=flags)
    return {"cycle": cycle, "justice": justice}


def test_self_assessment_to_published_ranking(page, live_server, browser_login, browser_logout, screenshot, journey_world):
    cycle, justice = journey_world["cycle"], journey_world["justice"]
    base = live_server.url
    page.on("dialog", lambda d: d.accept())

    # 1. The department head self-assesses every sub-criterion, with evidence, and sees the progress.
    browser_login("giamdoc.tp", PASSWORD)
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/don-vi/{justice.pk}/")
    page.get_by_label("Điểm tự đánh giá 1.1").fill("5")
    page.locator('[id="row-1.1"] button.primary').click()
    page.locator('[id="row-1.1"] .error').wait_for()
    assert "vượt điểm tối đa" in page.locator('[id="row-1.1"]').inner_text()
    for code, pts in (("1.1", "2"), ("1.2", "4"), ("2.1", "4")):
        row = page.locator(f'[id="row-{code}"]')
        page.get_by_label(f"Điểm tự đánh giá {code}").fill(pts)
        if code == "2.1":
            row.locator("summary").click()
            page.get_by_label(f"Tên tài liệu {code}").fill("Quyết định công bố TTHC")
            page.get_by_label(f"Số văn bản {code}").fill("15/QĐ-UBND")
        row.locator("button.primary").click()
        row.locator("[role=status]").wait_for()
    assert page.locator("#progress-done").inner_text() == "3"
    screenshot("index-01-self-assessment")
    browser_logout()

    # 2. The PAR office appraises (adjusts 2.1 with a reason) and opens the explanation step.
    browser_login("noivu", PASSWORD)
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/")
    page.get_by_role("button", name="Chuyển sang thẩm định lần 1").click()
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/don-vi/{justice.pk}/")
    page.get_by_label("Điểm thẩm định 2.1").fill("3")
    page.locator('[id="row-2.1"] button.primary').click()
    page.locator('[id="row-2.1"] .error').wait_for()  # a changed score needs a reason
    page.get_by_label("Điểm thẩm định 2.1").fill("3")
    page.get_by_label("Lý do 2.1").fill("Một thủ tục công khai muộn")
    page.locator('[id="row-2.1"] button.primary').click()
    page.locator('[id="row-2.1"] [role=status]').wait_for()
    screenshot("index-02-appraisal-1")
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/")
    # only 2.1 was appraised explicitly: the page shows the counts and asks for a confirmation
    assert "0/2 đơn vị đã được thẩm định lần 1" in page.locator("#tien-do-buoc").inner_text()
    page.get_by_label("Vẫn chuyển bước khi còn 2 đơn vị chưa xong").check()
    page.get_by_role("button", name="Mở giải trình").click()
    page.wait_for_load_state()
    assert "Giải trình" in page.locator("ol.steps li.current").inner_text()
    browser_logout()

    # 3. The unit explains once.
    browser_login("giamdoc.tp", PASSWORD)
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/don-vi/{justice.pk}/")
    page.get_by_label("Giải trình 2.1").fill("Thủ tục đã công khai ngày 02/01, kèm ảnh chụp cổng")
    page.locator('[id="row-2.1"] button.primary').click()
    page.locator('[id="row-2.1"] [role=status]').wait_for()
    browser_logout()

    # 4. Second appraisal, then publication.
    browser_login("noivu", PASSWORD)
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/")
    page.get_by_role("button", name="Chuyển sang thẩm định lần 2").click()
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/don-vi/{justice.pk}/")
    assert "Thủ tục đã công khai ngày 02/01" in page.locator('[id="row-2.1"]').inner_text()
    page.get_by_label("Điểm thẩm định 2.1").fill("3.5")
    page.get_by_label("Lý do 2.1").fill("Chấp nhận một phần giải trình")
    page.locator('[id="row-2.1"] button.primary').click()
    page.locator('[id="row-2.1"] [role=status]').wait_for()
    screenshot("index-03-appraisal-2")
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/")
    page.get_by_role("button", name="Công bố kết quả (khóa số liệu)").click()
    page.wait_for_load_state()
    assert "Đã công bố" in page.locator("ol.steps li.current").inner_text()

    # 5. The published ranking: Sở Tư pháp first with 9.50/10, heat map cells coloured.
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/ket-qua/")
    first = page.locator("table.results tbody tr").first
    assert "Sở Tư pháp" in first.inner_text() and "95,00" in first.inner_text()
    assert "hsl(" in (page.locator("td.heat").first.get_attribute("style") or "")
    screenshot("index-04-results")
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/diem-bi-tru/")
    assert "−0,50" in page.locator("table").inner_text()
    screenshot("index-05-lost-points")
    page.goto(f"{base}/chi-so/ky/{cycle.pk}/lo-trinh/?don_vi={cycle.participants.exclude(unit=justice).get().unit_id}&hang=1")
    assert "cần đạt" in page.content()
    screenshot("index-06-path-to-target")

    # 6. The index home: national history chart and the flagged figure with its warning.
    page.goto(f"{base}/chi-so/")
    page.wait_for_function("() => window.Chart !== undefined")
    assert page.locator("tr.flagged .flag").count() == 1
    assert "▲12" in page.locator("table.history").inner_text()
    # every chart formats ticks and tooltips the Vietnamese way, whatever the browser's language (static cchc/charts.js)
    assert page.evaluate("() => Chart.defaults.locale") == "vi-VN"
    assert page.evaluate("() => Chart.getChart('chart-par-score').scales.y.getLabelForValue(1234.5)") == "1.234,5"
    screenshot("index-07-home")
