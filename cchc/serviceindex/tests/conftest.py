import pytest

from cchc.dossiers.tests.conftest import _fresh_cache_and_media, no_setup  # noqa: F401 (fixtures)


@pytest.fixture
def world(db):
    from cchc.dossiers.tests.factories import make_world

    return make_world()


@pytest.fixture
def indicator_set(db):
    """The shipped Decision 766 set (data/qd766_v1.json), loaded as `cchc setup` does."""
    from cchc.serviceindex import reference
    from cchc.serviceindex.models import IndicatorSet

    reference.load()
    return IndicatorSet.objects.get(family="qd766", version=1)
