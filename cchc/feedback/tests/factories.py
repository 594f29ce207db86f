"""The feedback test world, shared by the app's tests (conftest `world`) and the browser journey."""

from __future__ import annotations

PASSWORD = "pass12345"


def make_world(password: str = PASSWORD) -> dict:
    """A province with the PAR office, two departments, a commune; a second province; users per role."""
    from cchc.accounts.models import Role, User
    from cchc.units.models import Unit, UnitKind

    province = Unit.objects.create(code="T1", name="Tỉnh Thử", kind=UnitKind.PROVINCE)
    other = Unit.objects.create(code="T2", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    home_affairs = Unit.objects.create(
        code="T1-NV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province
    )
    justice = Unit.objects.create(code="T1-TP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    building = Unit.objects.create(
        code="T1-XD", name="Sở Xây dựng", kind=UnitKind.DEPARTMENT, parent=province
    )
    commune = Unit.objects.create(code="T1-X1", name="Xã Một", kind=UnitKind.COMMUNE, parent=province)
    other_office = Unit.objects.create(
        code="T2-NV", name="Sở Nội vụ T2", kind=UnitKind.DEPARTMENT, parent=other
    )

    def user(name, role, unit, **extra):
        return User.objects.create_user(username=name, password=password, role=role, unit=unit, **extra)

    users = {
        "par": user("par", Role.PAR_OFFICE, home_affairs),
        "leader": user("leader", Role.PROVINCE_LEADER, province),
        "specialist": user("specialist", Role.SPECIALIST, justice),
        "head": user("head", Role.UNIT_HEAD, justice),
        "builder": user("builder", Role.SPECIALIST, building),
        "officer": user("officer", Role.ONE_STOP_OFFICER, commune),
        "outsider": user("outsider", Role.PAR_OFFICE, other_office),
        "citizen": user(
            "citizen",
            Role.CITIZEN,
            None,
            full_name="Nguyễn Văn Dân",
            phone="0912345678",
            email="dan@example.vn",
        ),
        "citizen2": user("citizen2", Role.CITIZEN, None, full_name="Trần Thị Hai", phone="0987000111"),
    }
    return {
        "province": province,
        "other": other,
        "justice": justice,
        "building": building,
        "commune": commune,
        "home_affairs": home_affairs,
        **users,
    }
