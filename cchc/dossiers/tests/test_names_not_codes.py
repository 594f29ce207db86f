"""People read unit names, not unit codes: the register page and its XLSX, the statistics page and its export,
the desk and the queue never show "80-001-MC" where a person reads. Codes stay in option values, links and
file names (what machines read)."""

import html as html_lib
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.dossiers import services
from cchc.units.models import Unit

from .factories import applicant
from .test_dashboard import busy  # noqa: F401  (fixture: a month of settled dossiers)

pytestmark = pytest.mark.django_db

# unit codes as the province registry writes them: "80-TTPVHCC", "80-001", "80-001-MC", "80-S-TUPHAP"
UNIT_CODE = re.compile(r"(?<![\w./])\d\d-(?:[A-Z][A-Z0-9]*|\d{3})(?:-[A-Z0-9]+)*\b")
REAL_CODES = {"province": "80", "centre": "80-TTPVHCC", "dept": "80-S-TUPHAP", "commune": "80-001", "desk": "80-001-MC"}


def visible_text(page: str) -> str:
    """What a person reads: the page without scripts, styles, tags and attribute values."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def province(world):
    for key, code in REAL_CODES.items():
        Unit.objects.filter(pk=world[key].pk).update(code=code)
        world[key].refresh_from_db()
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    services.dossier_receive(actor=world["desk_officer"], procedure=world["commune_procedure"], unit=world["desk"], applicant=applicant())
    world["dossier"] = d
    return world


@pytest.mark.parametrize(("user_key", "unit_key"), [
    ("officer", "centre"), ("desk_officer", "desk"), ("specialist", "dept"), ("commune_head", "commune"), ("leader", "province"),
])
def test_the_register_page_offers_the_users_own_unit_by_name(client, province, user_key, unit_key):
    client.force_login(province[user_key])
    page = client.get(reverse("dossiers:register")).content.decode()
    unit = province[unit_key]
    assert f'<option value="{unit.code}" selected>{unit.name}</option>' in page
    assert UNIT_CODE.findall(visible_text(page)) == []


def test_a_commune_desk_may_download_its_own_register_and_it_names_units(client, province):
    client.force_login(province["desk_officer"])
    today = timezone.localdate()
    response = client.get(reverse("dossiers:register"), {"tai": "1", "unit": province["desk"].code,
                                                         "date_from": (today - timedelta(days=1)).isoformat(), "date_to": today.isoformat()})
    assert response.status_code == 200
    cells = [str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row if c.value is not None]
    assert province["desk"].name.upper() in cells and province["commune"].name in cells  # heading and handling unit
    assert [c for c in cells if UNIT_CODE.search(c)] == []


@pytest.mark.parametrize("user_key", ["leader", "officer", "desk_officer"])
def test_staff_pages_name_units_instead_of_showing_codes(client, province, user_key):
    client.force_login(province[user_key])
    for name in ("dossiers:desk", "dossiers:list", "dossiers:dashboard"):
        page = client.get(reverse(name)).content.decode()
        assert UNIT_CODE.findall(visible_text(page)) == [], name


def test_the_statistics_page_its_chart_labels_and_its_export_name_units(client, busy, monkeypatch):  # noqa: F811 (the fixture)
    import json

    from cchc.dossiers import selectors

    from .test_dashboard import MARCH, URL

    monkeypatch.setattr(selectors, "MIN_SETTLED_FOR_RATE", 1)  # a handful of dossiers is enough for a bar here

    for key, code in REAL_CODES.items():
        Unit.objects.filter(pk=busy[key].pk).update(code=code)
    client.force_login(busy["leader"])
    page = client.get(URL + MARCH).content.decode()
    assert UNIT_CODE.findall(visible_text(page)) == []
    charts = json.loads(re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert busy["dept"].name in charts["units"]["labels"]
    assert [x for x in charts["units"]["labels"] if UNIT_CODE.search(str(x))] == []
    drill = client.get(URL + MARCH + "&don_vi=" + REAL_CODES["dept"]).content.decode()
    assert busy["dept"].name in drill and UNIT_CODE.findall(visible_text(drill)) == []
    export = client.get(URL + MARCH + "&xuat=xlsx")
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(export.content)) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert busy["dept"].name in cells and [c for c in cells if UNIT_CODE.search(c)] == []
