"""SIPAS pages: list, results with margin of error, paper entry, one-time public form; errors never 500."""

import pytest
from django.urls import reverse

from cchc.surveys import services
from cchc.surveys.models import Response

from .conftest import all_answers

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_survey_pages_render_for_the_par_office(client, world):
    login(client, world["par"])
    services.response_enter_paper(survey=world["survey"], unit=world["commune"], answers=all_answers(world["q"], 5), actor=world["officer"])
    assert client.get(reverse("surveys:home")).status_code == 200
    assert client.get(reverse("surveys:questionnaire", args=[world["q"].pk])).status_code == 200
    page = client.get(reverse("surveys:survey", args=[world["survey"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "chưa xác nhận" in html and "100,00%" in html and "Xã Một" in html
    assert client.get(reverse("surveys:open")).status_code == 200


def test_survey_results_are_not_shown_outside_the_scope(client, world):
    login(client, world["outsider"])
    assert client.get(reverse("surveys:survey", args=[world["survey"].pk])).status_code == 404


def test_citizens_cannot_open_staff_survey_pages(client, world):
    login(client, world["citizen"])
    assert client.get(reverse("surveys:home")).status_code == 403


def test_paper_entry_saves_and_shows_errors_without_a_500(client, world):
    login(client, world["officer"])
    url = reverse("surveys:paper", args=[world["survey"].pk])
    assert client.get(url).status_code == 200
    ok = client.post(url, {"unit": world["commune"].pk, "paper_number": "12", "q_A3": "5", "q_B3": "4"})
    assert ok.status_code == 302 and Response.objects.count() == 1
    dup = client.post(url, {"unit": world["commune"].pk, "paper_number": "12", "q_A3": "5"})
    assert dup.status_code == 400 and "đã được nhập" in dup.content.decode()
    empty = client.post(url, {"unit": world["commune"].pk})
    assert empty.status_code == 400 and "chưa có câu trả lời" in empty.content.decode()


def test_open_survey_form_creates_a_survey_and_reports_bad_input(client, world):
    login(client, world["par"])
    url = reverse("surveys:open")
    bad = client.post(url, {"title": "X", "year": "2026", "start": "2026-13-01", "end": "2026-12-31", "margin": "0.05",
                            "units": [world["dept"].pk]})
    assert bad.status_code == 400
    good = client.post(url, {"title": "SIPAS 2026", "year": "2026", "start": "2026-01-01", "end": "2026-12-31",
                             "margin": "0.05", "units": [world["dept"].pk]})
    assert good.status_code == 302


def test_a_one_time_link_works_once_for_a_citizen_without_login(client, world):
    login(client, world["officer"])
    resp = client.post(reverse("surveys:invite", args=[world["survey"].pk]), {"unit": world["commune"].pk})
    assert resp.status_code == 302
    client.logout()
    inv = world["survey"].invitations.get()
    url = reverse("surveys:public", args=[inv.token])
    assert client.get(url).status_code == 200
    done = client.post(url, {"q_A3": "4", "q_E3": "5"})
    assert done.status_code == 200 and "Cảm ơn" in done.content.decode()
    again = client.get(url)
    assert "đã được dùng" in again.content.decode()
    assert client.post(url, {"q_A3": "1"}).status_code == 200 and Response.objects.count() == 1
    assert client.get(reverse("surveys:public", args=["khong-co"])).status_code == 404


def test_sample_N_can_be_entered_on_the_results_page(client, world):
    login(client, world["par"])
    url = reverse("surveys:sample", args=[world["survey"].pk, world["dept"].pk])
    assert client.post(url, {"population": "abc"}).status_code == 302
    client.post(url, {"population": "10000"})
    assert world["survey"].samples.get(unit=world["dept"]).sample_size == 385


def test_quick_entry_types_one_digit_per_question(client, world):
    login(client, world["officer"])
    url = reverse("surveys:paper", args=[world["survey"].pk])
    n = world["q"].questions.count()
    short = client.post(url, {"unit": world["commune"].pk, "quick": "45"})
    assert short.status_code == 400 and f"đúng {n} ký tự" in short.content.decode()
    bad = client.post(url, {"unit": world["commune"].pk, "quick": "x" * n})
    assert bad.status_code == 400
    ok = client.post(url, {"unit": world["commune"].pk, "quick": "45 4" + "0" * (n - 3)})
    assert ok.status_code == 302
    answers = {a.question.code: a.value for a in Response.objects.get().answers.select_related("question")}
    assert answers["A1"] == 4 and answers["A2"] == 5 and answers["A3"] == 4 and answers["B1"] is None


def test_sipas_scores_can_be_pushed_into_an_open_cycle_from_the_survey_page(client, world):
    from cchc.indices import services as index_services
    from cchc.indices.models import Assessment

    rows = [{"code": "1", "parent": "", "title": "Tác động", "max_points": "8"},
            {"code": "1.1", "parent": "1", "title": "Mức độ hài lòng (SIPAS)", "max_points": "8", "method": "survey"}]
    cs = index_services.criteria_set_create(code="S2", name="S2", year=2025, target_group="commune", rows=rows)
    cycle = index_services.cycle_open(criteria_set=cs, organiser=world["province"], year=2025,
                                      units=[world["commune"], world["dept"]], actor=world["par"])
    services.response_enter_paper(survey=world["survey"], unit=world["commune"], answers=all_answers(world["q"], 5), actor=world["officer"])
    login(client, world["par"])
    page = client.get(reverse("surveys:survey", args=[world["survey"].pk])).content.decode()
    assert f"{cycle.pk}:1.1" in page
    resp = client.post(reverse("surveys:push", args=[world["survey"].pk]), {"target": f"{cycle.pk}:1.1"}, follow=True)
    assert "1 đơn vị" in resp.content.decode() and "chưa có chỉ số SIPAS" in resp.content.decode()
    assert str(Assessment.objects.get(cycle=cycle, unit=world["commune"]).self_points) == "8.00"
    bad = client.post(reverse("surveys:push", args=[world["survey"].pk]), {"target": "999:x"}, follow=True)
    assert "Chọn kỳ đánh giá" in bad.content.decode()


def test_push_targets_show_maximum_points_with_a_vietnamese_decimal_comma(client, world):
    from cchc.indices import services as index_services

    rows = [{"code": "1", "parent": "", "title": "Tác động", "max_points": "8"},
            {"code": "1.1", "parent": "1", "title": "Mức độ hài lòng (SIPAS)", "max_points": "2.5", "method": "survey"},
            {"code": "1.2", "parent": "1", "title": "Hài lòng về hồ sơ", "max_points": "5.5"}]
    cs = index_services.criteria_set_create(code="S3", name="S3", year=2025, target_group="commune", rows=rows)
    index_services.cycle_open(criteria_set=cs, organiser=world["province"], year=2025, units=[world["commune"]], actor=world["par"])
    page = login(client, world["par"]).get(reverse("surveys:survey", args=[world["survey"].pk])).content.decode()
    assert "(tối đa 2,5)" in page and "(tối đa 2.50)" not in page
