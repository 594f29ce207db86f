import datetime as dt

import pytest

D = dt.date


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """A province with departments and communes, users per role, a 2026 plan and one conducted inspection of the commune."""
    from cchc.accounts.models import Role, User
    from cchc.inspections import services
    from cchc.units.models import Unit, UnitKind

    province = Unit.objects.create(code="T1", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    other = Unit.objects.create(code="T2", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    home_affairs = Unit.objects.create(code="T1-SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province)
    justice = Unit.objects.create(code="T1-STP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    commune = Unit.objects.create(code="T1-X1", name="Xã Một", kind=UnitKind.COMMUNE, parent=province)
    commune2 = Unit.objects.create(code="T1-X2", name="Xã Hai", kind=UnitKind.COMMUNE, parent=province)
    foreign = Unit.objects.create(code="T2-X1", name="Xã Ngoài", kind=UnitKind.COMMUNE, parent=other)

    def user(name, role, unit):
        return User.objects.create_user(username=name, password="pass12345", role=role, unit=unit)

    users = {
        "par": user("par", Role.PAR_OFFICE, home_affairs),
        "leader": user("leader", Role.PROVINCE_LEADER, province),
        "head": user("head", Role.UNIT_HEAD, commune),
        "spec": user("spec", Role.SPECIALIST, commune),
        "officer": user("officer", Role.ONE_STOP_OFFICER, commune),
        "head2": user("head2", Role.UNIT_HEAD, commune2),
        "spec2": user("spec2", Role.SPECIALIST, commune2),
        "outsider": user("outsider", Role.PAR_OFFICE, Unit.objects.create(code="T2-SNV", name="Sở Nội vụ T2", kind=UnitKind.DEPARTMENT, parent=other)),
        "citizen": user("citizen", Role.CITIZEN, None),
    }
    plan = services.plan_create(province=province, year=2026, title="Kế hoạch kiểm tra CCHC 2026", document_number="25/KH-UBND",
                                actor=users["par"])
    team = [{"name": "Trưởng Đoàn", "unit": home_affairs, "is_leader": True}, {"name": "Thành Viên", "unit": justice}]
    insp = services.inspection_create(plan=plan, unit=commune, scope="Kiểm tra CCHC", planned_start=D(2026, 3, 10),
                                      planned_end=D(2026, 3, 11), members=team, actor=users["par"])
    services.inspection_record_conducted(inspection=insp, actual_start=D(2026, 3, 10), actual_end=D(2026, 3, 11), actor=users["par"],
                                         today=D(2026, 12, 5))
    return {"province": province, "home_affairs": home_affairs, "justice": justice, "commune": commune, "commune2": commune2,
            "foreign": foreign, "plan": plan, "insp": insp, "team": team, **users}
