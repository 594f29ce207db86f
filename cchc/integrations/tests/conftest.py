import pytest

from cchc.dossiers.tests.conftest import _fresh_cache_and_media, no_setup  # noqa: F401 (fixtures)


@pytest.fixture
def world(db):
    from cchc.dossiers.tests.factories import make_world

    return make_world()


@pytest.fixture
def citizen(world):
    from cchc.accounts.models import Role, User

    return User.objects.create_user(username="congdan.thu", password="matkhau123", role=Role.CITIZEN, email="cd@example.vn")


@pytest.fixture
def fee_dossier(world, citizen):
    """A dossier received at the centre for the 200.000 đ procedure, fee unpaid, belonging to `citizen`."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.tests.factories import applicant

    d = services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code, unit_code=world["centre"].code,
                                 channel="online", applicant=applicant(), received_at=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
                                 payment={"status": "unpaid"})
    Dossier.objects.filter(pk=d.pk).update(applicant_user=citizen, fee_amount=200000)  # test setup: the online applicant's account
    d.refresh_from_db()
    return d
