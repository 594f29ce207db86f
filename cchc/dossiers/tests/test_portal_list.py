"""Dịch vụ công trực tuyến: the citizen's service list is ordered by how often each procedure is filed in the
province, and its search box is the catalogue's search (issue 8)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cchc.catalog.models import Procedure, ProvinceProcedure
from cchc.dossiers import selectors, services
from cchc.dossiers.models import Dossier

from .factories import applicant

pytestmark = pytest.mark.django_db


def receive(world, procedure, unit, officer, when=None):
    d = services.dossier_receive(actor=officer, procedure=procedure, unit=unit, applicant=applicant())
    if when is not None:
        Dossier.objects.filter(pk=d.pk).update(received_at=when)
    return d


def local_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)), timezone.get_default_timezone())


@pytest.fixture
def portal_world(world):
    cache.clear()
    extra = Procedure.objects.create(code="1.000002", name="Cấp giấy phép kinh doanh karaoke", time_value=5,
                                     time_unit="working_days")
    ProvinceProcedure.objects.create(province=world["province"], procedure=extra, level="province",
                                     handling_unit=world["dept"], time_value=5, time_unit="working_days",
                                     online_level="partial", effective_from=date(2020, 1, 1))
    world["extra"] = extra
    return world


def listed_codes(**kwargs) -> list[str]:
    ids = selectors.online_services(**kwargs)
    by_id = ProvinceProcedure.objects.select_related("procedure").in_bulk(ids)
    return [by_id[pk].procedure.code for pk in ids]


def test_without_dossiers_the_list_is_in_code_order(portal_world):
    assert listed_codes() == ["1.000001", "1.000002", "1.001193"]


def test_the_most_filed_procedure_comes_first(portal_world):
    w = portal_world
    for _ in range(2):
        receive(w, w["commune_procedure"], w["desk"], w["desk_officer"])
    receive(w, w["extra"], w["centre"], w["officer"])
    cache.clear()
    assert listed_codes() == ["1.001193", "1.000002", "1.000001"]


def test_filing_counts_window_boundaries_and_province(portal_world):
    w = portal_world
    today = timezone.localdate()
    receive(w, w["extra"], w["centre"], w["officer"], when=local_noon(today - timedelta(days=364)))  # first day in
    receive(w, w["extra"], w["centre"], w["officer"], when=local_noon(today - timedelta(days=365)))  # one day out
    receive(w, w["procedure"], w["centre"], w["officer"], when=local_noon(today))
    other = w["other_province"]
    counts = selectors.procedure_filing_counts(province=w["province"], on_date=today)
    assert counts == {w["extra"].pk: 1, w["procedure"].pk: 1}
    assert selectors.procedure_filing_counts(province=other, on_date=today) == {}


def test_filing_counts_are_cached_for_the_day(portal_world):
    w = portal_world
    today = timezone.localdate()
    assert selectors.procedure_filing_counts(province=w["province"], on_date=today) == {}
    receive(w, w["extra"], w["centre"], w["officer"])
    assert selectors.procedure_filing_counts(province=w["province"], on_date=today) == {}  # cached
    cache.clear()
    assert selectors.procedure_filing_counts(province=w["province"], on_date=today) == {w["extra"].pk: 1}


def test_a_query_uses_the_catalogue_search_and_keeps_only_online_services(portal_world):
    w = portal_world
    assert listed_codes(query="ly lich tu phap") == ["1.000001"]
    assert listed_codes(query="1.001193") == ["1.001193"]
    assert listed_codes(query="khai sinh") == ["1.001193"]
    ProvinceProcedure.objects.filter(procedure=w["commune_procedure"]).update(online_level="none")
    assert listed_codes(query="khai sinh") == []
    assert listed_codes(query="chưa công bố") == []  # 9.999999 is not published


def test_only_the_latest_version_of_a_publication_is_listed(portal_world):
    w = portal_world
    ProvinceProcedure.objects.create(province=w["province"], procedure=w["procedure"], level="province",
                                     handling_unit=w["dept"], time_value=2, time_unit="working_days",
                                     online_level="full", effective_from=date(2024, 1, 1))
    ids = selectors.online_services()
    assert listed_codes().count("1.000001") == 1
    latest = ProvinceProcedure.objects.get(pk=[pk for pk in ids if ProvinceProcedure.objects.get(pk=pk).procedure_id == w["procedure"].pk][0])
    assert latest.effective_from == date(2024, 1, 1)


def test_the_portal_page_lists_the_most_filed_first(client, portal_world):
    w = portal_world
    receive(w, w["commune_procedure"], w["desk"], w["desk_officer"])
    cache.clear()
    body = client.get(reverse("dossiers:portal")).content.decode()
    assert body.index("1.001193") < body.index("1.000001") < body.index("1.000002")
    assert "nộp nhiều nhất xếp trước" in body
    body = client.get(reverse("dossiers:portal"), {"q": "karaoke"}, HTTP_HX_REQUEST="true").content.decode()
    assert "1.000002" in body and "1.000001" not in body
