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
    """A province with the PAR office, two departments, a commune; a second province; users per role."""
    from cchc.accounts.models import Role, User
    from cchc.units.models import Unit, UnitKind

    settings.FEEDBACK_ANSWER_WORKING_DAYS = 10
    settings.FEEDBACK_CLASSIFY_WORKING_DAYS = 2
    province = Unit.objects.create(code="T1", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    other = Unit.objects.create(code="T2", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    home_affairs = Unit.objects.create(code="T1-NV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    justice = Unit.objects.create(code="T1-TP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    building = Unit.objects.create(code="T1-XD", name="Sở Xây dựng", kind=UnitKind.DEPARTMENT, parent=province)
    commune = Unit.objects.create(code="T1-X1", name="Xã Một", kind=UnitKind.COMMUNE, parent=province)
    other_office = Unit.objects.create(code="T2-NV", name="Sở Nội vụ T2", kind=UnitKind.DEPARTMENT, parent=other)

    def user(name, role, unit, **extra):
        return User.objects.create_user(username=name, password="pass12345", role=role, unit=unit, **extra)

    users = {
        "par": user("par", Role.PAR_OFFICE, home_affairs),
        "leader": user("leader", Role.PROVINCE_LEADER, province),
        "specialist": user("specialist", Role.SPECIALIST, justice),
        "head": user("head", Role.UNIT_HEAD, justice),
        "builder": user("builder", Role.SPECIALIST, building),
        "officer": user("officer", Role.ONE_STOP_OFFICER, commune),
        "outsider": user("outsider", Role.PAR_OFFICE, other_office),
        "citizen": user("citizen", Role.CITIZEN, None, full_name="Nguyễn Văn Dân", phone="0912345678", email="dan@example.vn"),
        "citizen2": user("citizen2", Role.CITIZEN, None, full_name="Trần Thị Hai", phone="0987000111"),
    }
    return {"province": province, "other": other, "justice": justice, "building": building, "commune": commune,
            "home_affairs": home_affairs, **users}


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
