import pytest

from cchc.dossiers.tests.conftest import _fresh_cache_and_media, no_setup, world  # noqa: F401, F811  (shared fixtures)


@pytest.fixture
def par_office(world):  # noqa: F811
    from cchc.accounts.models import Role, User

    return User.objects.create_user(username="noivu", password="matkhau123", role=Role.PAR_OFFICE, unit=world["province"])
