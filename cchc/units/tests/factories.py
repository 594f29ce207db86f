"""Test factories for units (and users, which every scoping test needs)."""

from __future__ import annotations

import itertools

from cchc.units.models import Unit, UnitKind

_seq = itertools.count(1)


def make_unit(*, kind=UnitKind.DEPARTMENT, parent=None, name=None, code=None, **extra) -> Unit:
    n = next(_seq)
    unit = Unit(code=code or f"T{n:05d}", name=name or f"Đơn vị thử {n}", kind=kind, parent=parent, **extra)
    unit.save()
    return unit


def make_province(name=None, code=None) -> Unit:
    return make_unit(kind=UnitKind.PROVINCE, name=name or "Tỉnh Thử", code=code)


def make_user(*, role, unit=None, username=None, password="mat-khau-thu-9", **extra):
    from cchc.accounts.models import User

    user = User(username=username or f"user{next(_seq)}", role=role, unit=unit, **extra)
    user.set_password(password)
    user.save()
    return user
