import pytest

from cchc.calendar.services import calendar_cache_clear

from .factories import make_queue_world


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _calendar_cache():
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def w(db):
    return make_queue_world()
