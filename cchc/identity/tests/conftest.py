import pytest

from cchc.identity import fake


@pytest.fixture(autouse=True)
def oidc_fake(settings):
    settings.OIDC_MODE = "fake"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    fake.MISBEHAVE.clear()
    yield
    fake.MISBEHAVE.clear()
