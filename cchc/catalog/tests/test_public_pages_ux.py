"""Public procedure pages as a citizen on a phone sees them: fees written the Vietnamese way, a way to file
online where the province offers it, guidance when nothing is found, and no 500 on odd input."""

import datetime as dt

import pytest

from cchc.catalog.models import Procedure
from cchc.catalog.services import procedure_publish
from cchc.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(catalog_slice):
    province = Unit.objects.create(code="T99", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    procedure = Procedure.objects.get(code="1.001193")
    pub = procedure_publish(province=province, procedure=procedure, level="commune", time_value=3, time_unit="working_days",
                            online_level="full", fee_amount=1250000, decision_no="12/QĐ-UBND", effective_from=dt.date(2025, 7, 1))
    return pub


def test_detail_writes_the_fee_with_dot_thousands_and_offers_online_filing(client, published):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "1.250.000" in html and "1250000" not in html
    assert f'href="/dich-vu-cong/nop/{published.pk}/"' in html and "Nộp trực tuyến" in html
    assert 'data-label="Nơi tiếp nhận"' in html  # the table turns into cards on a phone


def test_search_without_results_tells_the_citizen_what_to_try(client, catalog_slice):
    html = client.get("/thu-tuc/", {"q": "zzzqqq xxyyzz"}).content.decode()
    assert "Không tìm thấy thủ tục" in html and "bộ phận một cửa" in html


def test_empty_search_explains_how_to_start(client, catalog_slice):
    html = client.get("/thu-tuc/").content.decode()
    assert "Gõ tên thủ tục" in html


@pytest.mark.parametrize("query", ["%", "%25", "'", "\"", "a" * 5000, "*", "NEAR(", "\x00", "   "])
def test_search_survives_odd_queries(client, catalog_slice, query):
    assert client.get("/thu-tuc/", {"q": query}).status_code == 200
    assert client.get("/thu-tuc/", {"q": query}, HTTP_HX_REQUEST="true").status_code == 200


def test_unknown_procedure_code_is_a_404_page_in_vietnamese(client, catalog_slice):
    response = client.get("/thu-tuc/khong-co-ma-nay/")
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()
