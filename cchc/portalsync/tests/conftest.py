import pytest

from cchc.dossiers.tests.conftest import _fresh_cache_and_media, no_setup, world  # noqa: F401


@pytest.fixture(autouse=True)
def fake_portal(settings):
    settings.PORTALSYNC_MODE = "fake"
