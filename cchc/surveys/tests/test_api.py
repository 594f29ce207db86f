"""SIPAS and national-results API: scoping, validation errors as 4xx, public one-time answers, schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.surveys import services
from cchc.surveys.models import PublishedResult, Response

from .conftest import all_answers

pytestmark = pytest.mark.django_db


def test_published_results_list_filters_by_kind_and_flag(api_client, world):
    PublishedResult.objects.create(index_kind="sipas", year=2024, entity_name="A", score=90, source_key="a", flagged=True, flags=["x"])
    PublishedResult.objects.create(index_kind="par_index", year=2024, entity_name="A", score=90, source_key="a")
    api_client.force_authenticate(world["par"])
    assert len(api_client.get("/api/v1/national-results/").json()) == 2
    flagged = api_client.get("/api/v1/national-results/?kind=sipas&flagged=1").json()
    assert [r["flags"] for r in flagged] == [["x"]]
    assert api_client.get("/api/v1/national-results/?year=abc").status_code == 400
    api_client.force_authenticate(world["citizen"])
    assert api_client.get("/api/v1/national-results/").status_code == 403


def test_import_endpoint_is_for_the_par_office_and_returns_the_summary(api_client, world):
    body = ("nam,loai_don_vi,don_vi,chi_so_pct,thu_hang,tong_so_don_vi,source_url\n"
            "2024,tỉnh,Hà Nội,90,3,63,https://s.example\n2024,tỉnh,Huế,190,3,63,https://s.example\n").encode()
    api_client.force_authenticate(world["officer"])
    assert api_client.post("/api/v1/national-results/import/", {"file": SimpleUploadedFile("par.csv", body)}, format="multipart").status_code == 403
    api_client.force_authenticate(world["par"])
    resp = api_client.post("/api/v1/national-results/import/", {"file": SimpleUploadedFile("par.csv", body)}, format="multipart")
    assert resp.status_code == 200
    assert resp.json()["imported"] == 1 and resp.json()["rejected"][0]["row"] == 3
    bad = api_client.post("/api/v1/national-results/import/", {"file": SimpleUploadedFile("x.csv", b"a,b\n")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_format"


def test_survey_results_and_paper_entry_through_the_api(api_client, world):
    survey = world["survey"]
    api_client.force_authenticate(world["officer"])
    url = f"/api/v1/sipas/surveys/{survey.pk}/responses/"
    ok = api_client.post(url, {"unit": world["commune"].code, "answers": all_answers(world["q"], 4)}, format="json")
    assert ok.status_code == 201
    assert api_client.post(url, {"unit": world["commune"].code, "answers": {"A3": 9}}, format="json").status_code == 400
    assert api_client.post(url, {"unit": world["dept"].code, "answers": {"A3": 4}}, format="json").status_code == 403
    results = api_client.get(f"/api/v1/sipas/surveys/{survey.pk}/results/").json()
    assert [u["unit"] for u in results["units"]] == [world["commune"].code]  # the officer sees only their unit
    assert results["units"][0]["index_pct"] == 100.0
    api_client.force_authenticate(world["outsider"])
    assert api_client.get(f"/api/v1/sipas/surveys/{survey.pk}/results/").status_code == 404
    assert api_client.get("/api/v1/sipas/surveys/").json() == []


def test_public_answer_with_a_one_time_token(api_client, world):
    inv = services.invitation_create(survey=world["survey"], unit=world["commune"])
    url = f"/api/v1/public/sipas/{inv.token}/"
    assert api_client.post(url, {"answers": {"A3": 5}}, format="json").status_code == 201
    assert api_client.post(url, {"answers": {"A3": 5}}, format="json").status_code == 409
    assert api_client.post("/api/v1/public/sipas/nope/", {"answers": {"A3": 5}}, format="json").status_code == 404
    assert Response.objects.count() == 1


def test_sipas_scores_enter_an_index_cycle_as_survey_points(world):
    from cchc.indices import services as index_services
    from cchc.indices.models import Assessment

    rows = [{"code": "1", "parent": "", "title": "Tác động", "max_points": "10"},
            {"code": "1.1", "parent": "1", "title": "Mức độ hài lòng (SIPAS)", "max_points": "10", "method": "survey"}]
    cs = index_services.criteria_set_create(code="S", name="S", year=2025, target_group="commune", rows=rows)
    cycle = index_services.cycle_open(criteria_set=cs, organiser=world["province"], year=2025, units=[world["commune"]], actor=world["par"])
    for value in (5, 4, 2, 4):
        services.response_enter_paper(survey=world["survey"], unit=world["commune"], answers=all_answers(world["q"], value), actor=world["officer"])
    out = services.sipas_scores_push(survey=world["survey"], cycle=cycle, criterion_code="1.1", actor=world["par"])
    assert out["rows"] == 1
    a = Assessment.objects.get(cycle=cycle, unit=world["commune"])
    assert str(a.self_points) == "7.50" and a.source == "survey"
