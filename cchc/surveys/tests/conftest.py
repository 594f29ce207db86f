import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are created in most tests; the production hasher costs ~0.5 s per user on this machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """A province with a department and a commune, users per role, the SIPAS questionnaire and an open survey."""
    from cchc.accounts.models import Role, User
    from cchc.surveys.reference import ensure_questionnaire
    from cchc.surveys.services import survey_open
    from cchc.units.models import Unit, UnitKind

    province = Unit.objects.create(code="T1", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    other = Unit.objects.create(code="T2", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    dept = Unit.objects.create(code="T1-S1", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    home_affairs = Unit.objects.create(code="T1-S2", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    commune = Unit.objects.create(code="T1-X1", name="Xã Một", kind=UnitKind.COMMUNE, parent=province)
    foreign = Unit.objects.create(code="T2-X1", name="Xã Ngoài", kind=UnitKind.COMMUNE, parent=other)

    def user(name, role, unit):
        return User.objects.create_user(username=name, password="pass12345", role=role, unit=unit)

    users = {
        "par": user("par", Role.PAR_OFFICE, home_affairs),
        "officer": user("officer", Role.ONE_STOP_OFFICER, commune),
        "head": user("head", Role.UNIT_HEAD, dept),
        "outsider": user("outsider", Role.PAR_OFFICE, Unit.objects.create(code="T2-S1", name="Sở Nội vụ T2", kind=UnitKind.DEPARTMENT, parent=other)),
        "citizen": user("citizen", Role.CITIZEN, None),
    }
    q, _ = ensure_questionnaire()
    survey = survey_open(
        questionnaire=q, title="SIPAS 2025", year=2025, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        units=[dept, commune], province=province, populations={dept.pk: 1000, commune.pk: 400}, actor=users["par"],
    )
    return {"province": province, "dept": dept, "commune": commune, "foreign": foreign, "survey": survey, "q": q, **users}


def all_answers(q, value):
    return {question.code: value for question in q.questions.all()}
