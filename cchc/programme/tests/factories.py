"""Factories of the plan tests (units and users from the index tests' factories)."""

from __future__ import annotations

from datetime import date

from cchc.accounts.models import Role
from cchc.indices.tests.factories import par_office, province, unit, unit_head, user  # noqa: F401
from cchc.programme import services


def world():
    prov = province()
    a = unit(parent=prov, name="Sở Alpha")
    b = unit(parent=prov, name="Sở Beta")
    office = par_office(prov)
    other = province(name="Tỉnh Khác")
    return {"prov": prov, "a": a, "b": b, "office": office, "head_a": unit_head(a), "head_b": unit_head(b),
            "spec_a": user(Role.SPECIALIST, a), "other": other, "other_office": par_office(other),
            "citizen": user(Role.CITIZEN, None)}


def plan_with_task(w, *, deadline=date(2026, 6, 30), unit_key="a", year=2026, **task):
    plan = services.plan_create(unit=w["prov"], year=year, actor=w["office"])
    t = services.task_create(plan=plan, actor=w["office"], content=task.pop("content", "Rà soát thủ tục"), unit=w[unit_key],
                             deadline=deadline, **task)
    return plan, t
