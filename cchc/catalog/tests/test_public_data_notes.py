"""Internal data-quality notes ("cần xác minh" on a time the catalogue publishes without a unit) are for staff:
the public search and detail pages show the time without them; staff see the badge and the note."""

import pytest

from cchc.accounts.models import Role
from cchc.catalog.models import Procedure
from cchc.units.tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

NOTE_WORDS = ("cần xác minh", "Thời hạn cần xác minh")


@pytest.fixture
def readers(catalog_slice):
    province = make_province()
    return {
        "anonymous": None,
        "citizen": make_user(role=Role.CITIZEN, username="congdan.thu"),
        "staff": make_user(role=Role.ONE_STOP_OFFICER, unit=province, username="motcua.thu"),
    }


def _page(client, user, url, params=None):
    if user is not None:
        client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("reader", "sees"), [("anonymous", False), ("citizen", False), ("staff", True)])
def test_search_results_show_the_verify_badge_to_staff_only(client, readers, reader, sees):
    ambiguous = Procedure.objects.filter(time_ambiguous=True, name__icontains="khai sinh").first()
    assert ambiguous is not None, "the catalogue slice has a birth-registration time without a unit"
    html = _page(client, readers[reader], "/thu-tuc/", {"q": "khai sinh"})
    assert ambiguous.code in html  # the procedure is listed either way, with its time
    assert ("cần xác minh" in html) is sees
    assert (ambiguous.data_note in html) is sees


@pytest.mark.parametrize(("reader", "sees"), [("anonymous", False), ("citizen", False), ("staff", True)])
def test_the_detail_page_shows_the_data_note_to_staff_only(client, readers, reader, sees):
    ambiguous = Procedure.objects.filter(time_ambiguous=True).exclude(data_note="").first()
    html = _page(client, readers[reader], f"/thu-tuc/{ambiguous.code}/")
    assert ambiguous.time_display in html
    for word in NOTE_WORDS:
        assert (word in html) is sees
