import datetime as dt
from zoneinfo import ZoneInfo

import pytest

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, settings):
    """A province with the PAR office, two departments, a commune; a second province; users per role (factories.py)."""
    from .factories import make_world

    settings.FEEDBACK_ANSWER_WORKING_DAYS = 10
    settings.FEEDBACK_CLASSIFY_WORKING_DAYS = 2
    return make_world()


@pytest.fixture
def file_one(world):
    from cchc.feedback import services

    def make(*, at=None, actor=None, **kw):
        params = dict(kind="phan_anh", title="Chậm trả kết quả", content="Hồ sơ chứng thực bị hẹn lại nhiều lần.")
        params.update(kw)
        return services.feedback_file(actor=actor or world["citizen"], province=world["province"], received_at=at, **params)

    return make


def routed(world, fb, unit=None, at=None):
    from cchc.feedback import services

    services.feedback_classify(actor=world["par"], feedback_id=fb.pk, subject="procedure", field="Chứng thực", at=at)
    return services.feedback_route(actor=world["par"], feedback_id=fb.pk, unit=unit or world["justice"], at=at)
