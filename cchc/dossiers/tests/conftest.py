import pytest


@pytest.fixture
def world(db):
    from .factories import make_world

    return make_world()


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    """Throttle counters live in the cache; uploads go to a per-test media root, the demo PKI to a per-test var/."""
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    # staff users are created in fixtures: a fast hasher keeps set-up cheap (tests never rely on its strength)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    cache.clear()


@pytest.fixture
def no_setup(monkeypatch):
    """CLI handlers call ensure_ready(); the test database is already migrated and needs no reference data."""
    import cchc.core.setup

    monkeypatch.setattr(cchc.core.setup, "ensure_ready", lambda stdout=None: None)
