"""The public calendar cites the notice behind each adjusted day; an internal "số hiệu CHƯA XÁC NHẬN" marker in
that citation is for staff, the public reads the citation without it."""

from datetime import date

import pytest

from cchc.accounts.models import Role
from cchc.calendar.models import HolidayOverride
from cchc.units.tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

CITATION = "Văn bản VPCP truyền đạt ý kiến Thủ tướng về nghỉ Quốc khánh 2026"


@pytest.fixture
def override():
    return HolidayOverride.objects.create(date=date(2026, 8, 31), is_working_day=False, name="Nghỉ Quốc khánh (hoán đổi)",
                                          legal_document=f"{CITATION} (số hiệu CHƯA XÁC NHẬN)")


@pytest.mark.parametrize(("role", "sees"), [(None, False), (Role.CITIZEN, False), (Role.PAR_OFFICE, True), (Role.SYSTEM_ADMIN, True)])
def test_the_unconfirmed_marker_of_a_citation_is_shown_to_staff_only(client, override, role, sees):
    if role is not None:
        client.force_login(make_user(role=role, unit=None if role in (Role.CITIZEN, Role.SYSTEM_ADMIN) else make_province()))
    html = client.get("/lich/", {"nam": 2026}).content.decode()
    assert CITATION in html  # everyone sees which notice moved the day
    assert ("CHƯA XÁC NHẬN" in html) is sees
