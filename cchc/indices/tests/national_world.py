"""A small province assessed in the national PAR INDEX (Chỉ số CCHC cấp tỉnh), published, with lost points,
its departments and one user per role — shared by the national lost-points tests."""

from __future__ import annotations

import datetime as dt

from cchc.accounts.models import Role
from cchc.units.models import UnitKind

from .. import services
from ..models import CriteriaSet
from . import factories as f

TREE = [
    {"code": "1", "parent": "", "title": "Công tác chỉ đạo, điều hành CCHC", "max_points": ""},
    {"code": "1.1", "parent": "1", "title": "Kế hoạch CCHC năm", "max_points": "2", "responsible": "Sở Nội vụ"},
    {"code": "1.2", "parent": "1", "title": "Báo cáo CCHC", "max_points": "3", "responsible": "Sở Nội vụ"},
    {"code": "2", "parent": "", "title": "Cải cách thể chế", "max_points": ""},
    {"code": "2.1", "parent": "2", "title": "Ban hành văn bản QPPL đúng hạn", "max_points": "2", "responsible": "Sở Tư pháp"},
    {"code": "2.2", "parent": "2", "title": "Kiểm tra, rà soát văn bản", "max_points": "1.5", "responsible": "Sở Tư pháp"},
    {"code": "3", "parent": "", "title": "Cải cách thủ tục hành chính", "max_points": ""},
    {"code": "3.1", "parent": "3", "title": "Sự hài lòng về giải quyết TTHC (XHH)", "max_points": "4", "method": "survey"},
    {"code": "3.2", "parent": "3", "title": "Công khai TTHC", "max_points": "2.5", "responsible": "Văn phòng UBND tỉnh"},
]
TODAY = dt.date(2026, 5, 4)


def build(name: str = "Tỉnh Thử", code: str = "TT") -> dict:
    """Province, departments, users and a published national cycle whose lost points are 2.1 (1), 2.2 (0,25), 3.1 (1).

    1.1: self 2, round 1 1.5, round 2 2 (= max: not lost); 1.2: 3 = max; 2.1: self 2, round 1 1 → lost 1;
    2.2: self 1.5, round 1 0.75, round 2 1.25 → lost 0.25 (round 2 wins); 3.1 survey 3 → lost 1; 3.2 no score.
    """
    from cchc.units.models import Unit

    prov = Unit.objects.create(code=code, name=name, kind=UnitKind.PROVINCE)
    def mk(key, nm, kind=UnitKind.DEPARTMENT):
        return Unit.objects.create(code=f"{code}-{key}", name=f"{nm} {name.lower().replace('tỉnh', 'tỉnh')}",
                                                                           short_name=nm, kind=kind, parent=prov)
    d = {
        "noivu": mk("NV", "Sở Nội vụ"), "tuphap": mk("TP", "Sở Tư pháp"), "taichinh": mk("TC", "Sở Tài chính"),
        "khcn": mk("KHCN", "Sở Khoa học và Công nghệ"), "xaydung": mk("XD", "Sở Xây dựng"),
        "vpubnd": mk("VP", "Văn phòng Ủy ban nhân dân tỉnh", UnitKind.DEPARTMENT),
        "ttpvhcc": mk("TTPV", "Trung tâm Phục vụ hành chính công", UnitKind.SERVICE_CENTRE),
    }
    commune = Unit.objects.create(code=f"{code}-X1", name="Xã Một", kind=UnitKind.COMMUNE, parent=prov)
    users = {
        "par": f.user(Role.PAR_OFFICE, d["noivu"]),
        "leader": f.user(Role.PROVINCE_LEADER, prov),
        "tuphap_head": f.unit_head(d["tuphap"]),
        "tuphap_staff": f.user(Role.SPECIALIST, d["tuphap"]),
        "tuphap_desk": f.user(Role.ONE_STOP_OFFICER, d["tuphap"]),
        "vp_head": f.unit_head(d["vpubnd"]),
        "xaydung_head": f.unit_head(d["xaydung"]),
        "noivu_head": f.unit_head(d["noivu"]),
        "commune_head": f.unit_head(commune),
    }
    cs = CriteriaSet.objects.filter(code=f"national-{code}").first() or services.criteria_set_create(
        code=f"national-{code}", name="Chỉ số CCHC cấp tỉnh (thử)", year=2025, target_group="province", rows=TREE)
    office = users["par"]
    cycle = services.cycle_open(criteria_set=cs, organiser=prov, year=2025, units=[prov], actor=office, name=f"PAR INDEX 2025 — {name}")
    cycle = services.cycle_transition(cycle=cycle, to_state="self_assessment", actor=office)
    for code_, pts in (("1.1", "2"), ("1.2", "3"), ("2.1", "2"), ("2.2", "1.5")):
        services.assessment_self_assess(cycle=cycle, unit=prov, criterion=code_, points=pts, actor=office)
    services.survey_scores_import(cycle=cycle, rows=[{"unit": prov.code, "code": "3.1", "points": "3"}], actor=office)
    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_1", actor=office, confirm=True)
    for code_, pts in (("1.1", "1.5"), ("1.2", "3"), ("2.1", "1"), ("2.2", "0.75")):
        services.assessment_appraise(cycle=cycle, unit=prov, criterion=code_, points=pts, reason="Bộ Nội vụ thẩm định", actor=office)
    cycle = services.cycle_transition(cycle=cycle, to_state="explanation", actor=office, confirm=True)
    cycle = services.cycle_transition(cycle=cycle, to_state="appraisal_2", actor=office, confirm=True)
    for code_, pts in (("1.1", "2"), ("2.2", "1.25")):
        services.assessment_appraise(cycle=cycle, unit=prov, criterion=code_, points=pts, reason="Chấp nhận một phần", actor=office)
    cycle = services.cycle_transition(cycle=cycle, to_state="published", actor=office, confirm=True)
    return {"prov": prov, "d": d, "u": users, "cs": cs, "cycle": cycle, "commune": commune}
