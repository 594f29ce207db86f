"""Demo accounts (tài khoản demo) for the demo province: one user per role, easy passwords.

Idempotent: an existing account is left as it is (its password is not reset).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cchc.core.textfold import fold

from .models import Role, User

DEMO_PASSWORD = "demo12345"
# communes/wards that get a chairman, a specialist and a one-stop officer (others: first of the list)
DEMO_COMMUNES = ("Tân Ninh", "Long An", "Hưng Điền")


def commune_slug(unit) -> str:
    return fold(unit.short_name or unit.name).replace(" ", "")


def _ensure(username: str, *, role: str, unit, full_name: str, password_hash: str, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, unit=unit, full_name=full_name, password=password_hash, **extra)
        user.save()
    return user


@transaction.atomic
def build(ctx: dict, *, stdout=None) -> None:
    deps = ctx["departments"]
    specs = [
        ("admin", Role.SYSTEM_ADMIN, None, "Quản trị hệ thống", {"is_superuser": True, "is_staff": True}),
        ("lanhdao", Role.PROVINCE_LEADER, ctx["province_office"], "Nguyễn Văn Lãnh", {}),
        ("noivu", Role.PAR_OFFICE, deps["noivu"], "Trần Thị Nội Vụ", {}),
        ("giamdoc.noivu", Role.UNIT_HEAD, deps["noivu"], "Phạm Văn Giám", {"position": "Giám đốc"}),
        ("giamdoc.tuphap", Role.UNIT_HEAD, deps["tuphap"], "Lê Văn Pháp", {"position": "Giám đốc"}),
        ("phogiamdoc.tuphap", Role.UNIT_HEAD, deps["tuphap"], "Đỗ Thị Hạnh", {"position": "Phó Giám đốc"}),
        ("chuyenvien.tuphap", Role.SPECIALIST, deps["tuphap"], "Võ Thị Chuyên", {}),
        ("chuyenvien.xaydung", Role.SPECIALIST, deps["xaydung"], "Đặng Văn Dựng", {}),
        ("giamdoc.ttpvhcc", Role.UNIT_HEAD, ctx["service_centre"], "Huỳnh Thị Phục", {"position": "Giám đốc"}),
        ("motcua.tinh", Role.ONE_STOP_OFFICER, ctx["service_centre"], "Ngô Thị Một Cửa", {}),
    ]
    pairs = [(c, d) for c, d in zip(ctx["communes"], ctx["desks"], strict=True) if c.short_name in DEMO_COMMUNES]
    for commune, desk in pairs or list(zip(ctx["communes"], ctx["desks"], strict=True))[:3]:
        slug = commune_slug(commune)
        specs += [
            (f"chutich.{slug}", Role.UNIT_HEAD, commune, f"Chủ tịch UBND {commune.name}", {"position": "Chủ tịch"}),
            (f"chuyenvien.{slug}", Role.SPECIALIST, commune, f"Công chức {commune.name}", {}),
            (f"motcua.{slug}", Role.ONE_STOP_OFFICER, desk, f"Một cửa {commune.name}", {}),
        ]
    # one salted hash shared by the demo accounts: hashing 20 times would take seconds
    password_hash = make_password(DEMO_PASSWORD)
    users = {}
    logins = ctx.setdefault("logins", [])
    for username, role, unit, full_name, extra in specs:
        users[username] = _ensure(username, role=role, unit=unit, full_name=full_name, password_hash=password_hash, **extra)
        logins.append({"username": username, "password": DEMO_PASSWORD, "role": Role(role).label,
                       "unit": unit.name if unit is not None else "Toàn hệ thống"})
    users["congdan"] = _ensure("congdan", role=Role.CITIZEN, unit=None, full_name="Nguyễn Văn Dân", password_hash=password_hash,
                               phone="0912345678", email="congdan@example.vn")
    logins.append({"username": "congdan", "password": DEMO_PASSWORD, "role": Role.CITIZEN.label,
                   "unit": "đăng nhập bằng 0912345678 hoặc congdan@example.vn"})
    users["doanhnghiep"] = _ensure("doanhnghiep", role=Role.CITIZEN, unit=None,
                                   full_name="Công ty TNHH Thương mại Demo Tây Ninh", phone="0987654321",
                                   password_hash=password_hash,
                                   is_organisation=True, id_number="3900000000")
    logins.append({"username": "doanhnghiep", "password": DEMO_PASSWORD, "role": Role.CITIZEN.label,
                   "unit": "doanh nghiệp"})
    ctx["users"] = users
    if stdout is not None:
        stdout.write(f"Tài khoản demo: {len(users)} người dùng (mật khẩu {DEMO_PASSWORD})\n")
