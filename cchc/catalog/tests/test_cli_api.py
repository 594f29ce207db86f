"""CLI JSON contracts and the public API."""

import json

import pytest
from django.core.cache import cache

from cchc.catalog.reference import CATALOGUE_FILE
from cchc.cli import main

pytestmark = pytest.mark.django_db


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_search_prints_a_json_list_of_code_name_score_best_first(capsys):
    code, out, _ = run(capsys, "catalog", "search", "dang ky khai sinh", "--limit", "5", "--json")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) == 5
    assert hits[0] == {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "score": hits[0]["score"]}
    for hit in hits:
        assert set(hit) == {"code", "name", "score"}
        assert isinstance(hit["score"], float) and round(hit["score"], 4) == hit["score"]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_cli_search_rejects_a_bad_limit_with_exit_code_2(capsys, limit):
    code, _, err = run(capsys, "catalog", "search", "khai sinh", "--limit", limit, "--json")
    assert code == 2 and "--limit" in err


def test_cli_search_answers_a_limit_above_100_with_the_best_100(capsys):
    code, out, err = run(capsys, "catalog", "search", "thủ tục", "--limit", "250", "--json")
    assert code == 0, err
    hits = json.loads(out)
    assert 0 < len(hits) <= 100


@pytest.mark.parametrize("query", ["!!!", "?", "%_*"])
def test_cli_search_of_punctuation_only_prints_an_empty_list(capsys, query):
    code, out, err = run(capsys, "catalog", "search", query, "--json")
    assert code == 0, err
    assert json.loads(out) == []


def test_cli_import_prints_the_summary_and_is_idempotent(capsys):
    code, out, _ = run(capsys, "catalog", "import", str(CATALOGUE_FILE), "--json")
    assert code == 0
    first = json.loads(out)
    assert {"created", "updated", "unchanged", "flagged_time", "rejected"} <= set(first)
    assert first["created"] == 2625 and len(first["rejected"]) == 17
    _, out, _ = run(capsys, "catalog", "import", str(CATALOGUE_FILE), "--json")
    second = json.loads(out)
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 0, 2625)


def test_cli_import_of_a_missing_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "catalog", "import", str(tmp_path / "nope.csv"), "--json")
    assert code == 2 and "lỗi" in err


def test_cli_report_prints_the_figures(capsys, province, catalog_slice):
    code, out, _ = run(capsys, "catalog", "report", "--province", province.code, "--from", "2025-01-01",
                       "--to", "2026-12-31", "--json")
    assert code == 0
    report = json.loads(out)
    assert {"in_force", "simplified", "simplified_pct", "new", "amended", "abolished"} <= set(report)
    code, out, _ = run(capsys, "catalog", "report", "--province", "Tây Ninh", "--from", "2025-01-01",
                       "--to", "2026-12-31", "--json")
    assert code == 0 and json.loads(out)["province_name"] == "Tỉnh Tây Ninh"


@pytest.mark.parametrize("argv", [
    ["--province", "NOPE", "--from", "2025-01-01", "--to", "2025-12-31"],
    ["--province", "T99", "--from", "2025-13-01", "--to", "2025-12-31"],
    ["--province", "T99", "--from", "2026-01-01", "--to", "2025-12-31"],
])
def test_cli_report_bad_input_exits_2(capsys, province, catalog_slice, argv):
    code, _, err = run(capsys, "catalog", "report", *argv, "--json")
    assert code == 2 and "lỗi: " in err


@pytest.fixture
def anon(api_client):
    cache.clear()
    return api_client


def test_api_list_is_public_and_returns_code_name_score(anon, catalog_slice):
    response = anon.get("/api/v1/procedures/", {"q": "bằng lái", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert 1 <= len(body) <= 3 and set(body[0]) == {"code", "name", "score"}
    assert "lái xe" in body[0]["name"]


def test_api_list_can_keep_only_what_a_province_applies(anon, catalog_slice, province):
    assert anon.get("/api/v1/procedures/", {"q": "khai sinh", "province": province.code}).json() == []
    response = anon.get("/api/v1/procedures/", {"q": "khai sinh", "province": "NOPE"})
    assert response.status_code == 400 and response.json()["field"] == "province"


@pytest.mark.parametrize("limit", ["0", "abc", "101"])
def test_api_list_refuses_a_bad_limit_with_400(anon, catalog_slice, limit):
    response = anon.get("/api/v1/procedures/", {"q": "khai sinh", "limit": limit})
    assert response.status_code == 400 and response.json()["field"] == "limit"


def test_api_detail_is_public_and_unknown_code_is_404(anon, catalog_slice):
    response = anon.get("/api/v1/procedures/1.001193/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "1.001193" and body["field"] == "Hộ tịch" and body["publications"] == []
    assert anon.get("/api/v1/procedures/9.999999/").status_code == 404


def test_public_pages_search_and_detail(client, catalog_slice):
    page = client.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thủ tục đăng ký khai sinh" in html and 'hx-get="/thu-tuc/"' in html
    partial = client.get("/thu-tuc/", {"q": "khai tu"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "<html" not in partial.content.decode()
    detail = client.get("/thu-tuc/1.001193/")
    assert detail.status_code == 200 and "Hộ tịch" in detail.content.decode()
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_search_scores_keep_their_documented_bands_and_never_exceed_two(capsys):
    """docs/search.md "What `score` means": 2.0 exact code, 1.5 code prefix, (1.0, 1.2] an everyday need (intent),
    (0, 1.0] a ranked name; best first; only the order within one answer is meaningful."""
    from cchc.catalog.search import CODE_PREFIX_SCORE, EXACT_CODE_SCORE, INTENT_SCORE

    def scores(query):
        code, out, _ = run(capsys, "catalog", "search", query, "--limit", "20", "--json")
        assert code == 0
        hits = json.loads(out)
        assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
        assert all(0 < h["score"] <= EXACT_CODE_SCORE for h in hits)
        return hits

    exact = scores("1.001193")
    assert exact[0] == {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "score": EXACT_CODE_SCORE}
    prefix = scores("1.00119")
    assert {h["score"] for h in prefix} == {CODE_PREFIX_SCORE}
    need = scores("sinh con")
    assert need[0]["code"] == "1.001193" and need[0]["score"] == INTENT_SCORE
    intent_hits = [h for h in need if h["score"] > 1.0]
    assert 1 < len(intent_hits) < 20 and all(h["score"] <= INTENT_SCORE for h in intent_hits)
    assert all(h["score"] <= 1.0 for h in need[len(intent_hits):])
    names = scores("dang ky khai sinh")
    assert all(h["score"] <= 1.0 for h in names)


def test_no_intent_lists_so_many_procedures_that_its_scores_reach_the_name_band():
    """INTENT_SCORE − i·INTENT_STEP must stay above 1.0 (the best a ranked name can score) for every listed code."""
    from cchc.catalog.intents import load_intents
    from cchc.catalog.search import INTENT_SCORE, INTENT_STEP

    limit = round((INTENT_SCORE - 1.0) / INTENT_STEP)  # 20 codes: the 21st would score exactly 1.0
    assert limit == 20
    assert max(len(i.codes) for i in load_intents()) <= limit
