"""Small factories for the indices tests."""

from __future__ import annotations

import itertools

from cchc.accounts.models import Role, User
from cchc.units.models import Unit, UnitKind

_seq = itertools.count(1)

SMALL_TREE = [
    {"code": "1", "parent": "", "title": "Chỉ đạo điều hành", "max_points": ""},
    {"code": "1.1", "parent": "1", "title": "Kế hoạch CCHC", "max_points": "4", "responsible": "Sở Nội vụ", "effort": "low"},
    {"code": "1.2", "parent": "1", "title": "Báo cáo CCHC", "max_points": "6", "responsible": "Sở Nội vụ", "effort": "high"},
    {"code": "2", "parent": "", "title": "Thủ tục hành chính", "max_points": ""},
    {"code": "2.1", "parent": "2", "title": "Hồ sơ đúng hạn", "max_points": "6", "method": "data_threshold",
     "rule": {"type": "threshold_linear", "target": 98, "metric": "on_time_rate"}, "responsible": "Văn phòng UBND tỉnh"},
    {"code": "2.2", "parent": "2", "title": "Sự hài lòng (XHH)", "max_points": "4", "method": "survey"},
]


def unit(kind=UnitKind.DEPARTMENT, parent=None, name=None, region="", code=None) -> Unit:
    n = next(_seq)
    return Unit.objects.create(code=code or f"T{n:05d}", name=name or f"Đơn vị {n}", kind=kind, parent=parent, region=region)


def province(name="Tỉnh Thử") -> Unit:
    return unit(kind=UnitKind.PROVINCE, name=name)


def user(role, unit_obj, username=None) -> User:
    n = next(_seq)
    return User.objects.create_user(username=username or f"u{n}", password="matkhau-123", role=role, unit=unit_obj)


def par_office(prov) -> User:
    return user(Role.PAR_OFFICE, prov)


def unit_head(u) -> User:
    return user(Role.UNIT_HEAD, u)
