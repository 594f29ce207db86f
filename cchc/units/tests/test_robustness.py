"""Bad input never raises: property tests over arbitrary text."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.units import reference
from cchc.units.importing import Row
from cchc.units.models import Unit, UnitKind
from cchc.units.selectors import province_by_name_or_code
from cchc.units.services import unit_import_communes

pytestmark = pytest.mark.django_db

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def provinces():
    reference.load()


@SETTINGS
@given(text=st.text(max_size=40))
def test_province_lookup_never_raises_and_returns_a_province_or_none(provinces, text):
    found = province_by_name_or_code(text)
    assert found is None or found.kind in (UnitKind.PROVINCE, UnitKind.OLD_PROVINCE)


@SETTINGS
@given(data=st.data())
def test_case_and_diacritics_do_not_change_the_province_found(provinces, data):
    from cchc.core.textfold import fold

    unit = data.draw(st.sampled_from(list(Unit.objects.filter(kind=UnitKind.PROVINCE))))
    variant = data.draw(st.sampled_from([unit.short_name.upper(), fold(unit.short_name), f"Tỉnh {unit.short_name}",
                                         f"  {unit.short_name.lower()} "]))
    assert province_by_name_or_code(variant) == unit


cells = st.one_of(st.just(""), st.text(max_size=12), st.sampled_from(["xa", "Phường", "dac_khu", "80", "01", "72"]))


@SETTINGS
@given(rows=st.lists(st.fixed_dictionaries({"code": cells, "name": cells, "type": cells, "province_code": cells}),
                     max_size=6))
def test_import_of_arbitrary_rows_accounts_for_every_row(provinces, rows):
    result = unit_import_communes(rows=[Row(line=i + 2, values=v) for i, v in enumerate(rows)])
    total = result["created"] + result["updated"] + result["unchanged"] + len(result["rejected"])
    assert total == len(rows)
