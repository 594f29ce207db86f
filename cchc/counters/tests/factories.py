"""Test factories for the queue: a centre with two field groups and three counters, officers, a citizen."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from cchc.accounts.models import Role, User
from cchc.counters.models import Counter, FieldGroup
from cchc.units.models import Unit, UnitKind


def local(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return timezone.make_aware(datetime(y, m, d, hh, mm, ss))


def make_queue_world() -> dict:
    province = Unit.objects.create(code="Q99", name="Tỉnh Thử Lấy Số", kind=UnitKind.PROVINCE)
    centre = Unit.objects.create(code="Q99.TTHCC", name="Trung tâm Phục vụ hành chính công tỉnh Thử", kind=UnitKind.SERVICE_CENTRE, parent=province, province=province)
    other_province = Unit.objects.create(code="Q98", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    other_centre = Unit.objects.create(code="Q98.TTHCC", name="Trung tâm tỉnh Khác", kind=UnitKind.SERVICE_CENTRE, parent=other_province, province=other_province)
    a = FieldGroup.objects.create(centre=centre, prefix="A", name="Tư pháp", fields="Tư pháp", default_service_minutes=10, slot_capacity=2)
    b = FieldGroup.objects.create(centre=centre, prefix="B", name="Đất đai", fields="Đất đai", default_service_minutes=20, slot_capacity=2, position=1)
    c1 = Counter.objects.create(centre=centre, number=1)
    c1.groups.set([a])
    c2 = Counter.objects.create(centre=centre, number=2)
    c2.groups.set([b])
    c3 = Counter.objects.create(centre=centre, number=3)
    c3.groups.set([a, b])
    og = FieldGroup.objects.create(centre=other_centre, prefix="A", name="Tư pháp")
    oc = Counter.objects.create(centre=other_centre, number=1)
    oc.groups.set([og])

    def user(username, role, unit):
        u = User(username=username, role=role, unit=unit)
        u.set_password("mat-khau-thu-9")
        u.save()
        return u

    return {
        "province": province, "centre": centre, "other_centre": other_centre, "a": a, "b": b, "c1": c1, "c2": c2, "c3": c3,
        "other_group": og, "other_counter": oc,
        "officer": user("quay.mot", Role.ONE_STOP_OFFICER, centre),
        "officer2": user("quay.hai", Role.ONE_STOP_OFFICER, centre),
        "other_officer": user("quay.khac", Role.ONE_STOP_OFFICER, other_centre),
        "specialist_elsewhere": user("chuyenvien.x", Role.SPECIALIST, province),
        "head": user("giamdoc.tt", Role.UNIT_HEAD, centre),
        "citizen": user("congdan.q", Role.CITIZEN, None),
        "citizen2": user("congdan.q2", Role.CITIZEN, None),
    }
