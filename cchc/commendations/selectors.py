"""Reads of commendations: what each role sees, the figures the rules use (index ranks through cchc.indices,
dossier lateness through cchc.dossiers.selectors — one definition each), and the report section."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet

from cchc.accounts.models import Role
from cchc.accounts.permissions import scope_q
from cchc.core.numbers import format_vn

from .models import Candidate, CommendationRule, Form, Proposal, ProposalStatus


def _staff(user) -> bool:
    return bool(getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False))


def proposals_visible(user) -> QuerySet[Proposal]:
    """PAR office and province leaders: every list of their province; other staff: decided lists of their province."""
    if not _staff(user):
        return Proposal.objects.none()
    qs = Proposal.objects.select_related("province")
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return qs
    province_id = user.unit.province_id or user.unit_id if user.unit_id else None
    if province_id is None:
        return Proposal.objects.none()
    qs = qs.filter(province_id=province_id)
    if user.role in (Role.PAR_OFFICE, Role.PROVINCE_LEADER):
        return qs
    return qs.filter(status=ProposalStatus.DECIDED)


def rules_visible(user) -> QuerySet[CommendationRule]:
    if not _staff(user):
        return CommendationRule.objects.none()
    q = scope_q(user, "province")
    qs = CommendationRule.objects.select_related("province", "cycle")
    if q is None:
        return qs
    if user.role not in (Role.PAR_OFFICE, Role.PROVINCE_LEADER):
        return CommendationRule.objects.none()
    return qs.filter(q)


def index_ranks(cycle) -> dict[int, dict]:
    """unit id → {rank, group_size, index_pct, cycle name} from the cycle's (published) results."""
    from cchc.indices.selectors import cycle_results_data

    return {r["unit_id"]: {"rank": r["rank"], "group_size": r["group_size"], "index_pct": r["index_pct"], "cycle": cycle.name}
            for r in cycle_results_data(cycle)}


def dossier_figures(*, province, unit_ids, year: int) -> dict[int, dict]:
    """unit id → {settled, settled_late, overdue_open, on_time_rate} for the calendar year, counting the dossiers of
    the unit and every unit below it (e.g. a commune's one-stop desk), from `dossier_statistics`."""
    from cchc.dossiers.selectors import dossier_statistics
    from cchc.units.models import Unit

    wanted = set(unit_ids)
    parent = dict(Unit.objects.filter(province=province).values_list("pk", "parent_id"))
    code_to_id = dict(Unit.objects.filter(province=province).values_list("code", "pk"))

    def owner(uid):
        seen = 0
        while uid is not None and uid not in wanted and seen < 20:
            uid, seen = parent.get(uid), seen + 1
        return uid if uid in wanted else None

    rows = dossier_statistics(units=Unit.objects.filter(province=province), date_from=dt.date(year, 1, 1), date_to=dt.date(year, 12, 31),
                              group_by=("unit",))
    sums: dict[int, dict] = defaultdict(lambda: {"settled": 0, "settled_late": 0, "on_time": 0, "overdue_open": 0})
    for r in rows:
        uid = owner(code_to_id.get(r["unit"]))
        if uid is None:
            continue
        s = sums[uid]
        s["settled"] += r["settled"]
        s["settled_late"] += r["settled_late"]
        s["on_time"] += r["settled_early"] + r["settled_on_time"]
        s["overdue_open"] += r["in_process_overdue"]
    for s in sums.values():
        s["on_time_rate"] = round(s["on_time"] * 100.0 / s["settled"], 1) if s["settled"] else None
    return dict(sums)


def task_figures(*, unit_ids, year: int, today: dt.date | None = None) -> dict[int, dict]:
    """unit id → plan-task completion of the calendar year (due, done on time, done late, not done, overdue open),
    counting the tasks whose unit in charge is the unit or a unit below it, from `cchc.programme.selectors.completion`
    (the one definition: a cancelled task is out of the count, a task done on its deadline day is on time, a task
    not yet due as of `today` is not counted)."""
    from cchc.programme.selectors import completion

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = {}
    for uid in unit_ids:
        c = completion(units=[uid], start=start, end=end, today=today)
        out[uid] = {k: c[k] for k in ("due", "done_on_time", "done_late", "not_done", "overdue_open")}
    return out


def basis_text(facts: dict) -> str:
    """"Xếp hạng 2/16 Chỉ số CCHC nội bộ năm 2025 (93,00%), 99,1% hồ sơ đúng hạn (1.234 hồ sơ), không có hồ sơ trễ hạn"."""
    parts = []
    for idx in facts.get("index", []):
        parts.append(f"Xếp hạng {idx['rank']}/{idx['group_size']} {idx['cycle']} ({format_vn(idx['index_pct'], 2)}%)")
    d = facts.get("dossiers")
    if d and d.get("settled"):
        parts.append(f"{format_vn(d['on_time_rate'], 1)}% hồ sơ đúng hạn ({format_vn(d['settled'])} hồ sơ)")
        if facts.get("no_late"):
            parts.append("không có hồ sơ trễ hạn trong năm")
    t = facts.get("tasks")
    if t and facts.get("tasks_on_time"):
        parts.append(f"hoàn thành đúng hạn {format_vn(t['done_on_time'])}/{format_vn(t['due'])} nhiệm vụ kế hoạch CCHC năm {t['year']}")
    return ", ".join(parts)


def report_section(province, start: dt.date, end: dt.date) -> dict:
    """Phần "Khen thưởng" of the conference report: lists decided in [start, end] (by decision date) with the
    basis per candidate; draft lists of the same years shown as "đang đề nghị"."""
    decided = list(Proposal.objects.filter(province=province, status=ProposalStatus.DECIDED, decision_date__gte=start,
                                           decision_date__lte=end))
    drafts = list(Proposal.objects.filter(province=province, status=ProposalStatus.DRAFT, year__gte=start.year - 1, year__lte=end.year))
    def rows(proposals):
        out = []
        for p in proposals:
            for c in Candidate.objects.filter(proposal=p, removed=False).select_related("unit").order_by("form", "pk"):
                out.append([c.label, c.get_form_display(), c.basis,
                            f"{p.decision_number} ngày {p.decision_date:%d/%m/%Y}" if p.decision_number else "đang đề nghị"])
        return out
    decided_rows = rows(decided)
    cands = Candidate.objects.filter(proposal__in=decided, removed=False)
    figures = [
        {"key": "commended_units", "label": "Tập thể được khen thưởng", "value": cands.filter(official_name="").count(), "unit": "tập thể",
         "query": f"Đơn vị trong danh sách khen thưởng có quyết định ngày {start:%d/%m/%Y}–{end:%d/%m/%Y}, không tính đơn vị đã loại"},
        {"key": "commended_officials", "label": "Cá nhân được khen thưởng", "value": cands.exclude(official_name="").count(), "unit": "cá nhân",
         "query": "Cá nhân trong các danh sách trên"},
        {"key": "provincial_merits", "label": "Bằng khen của Chủ tịch UBND tỉnh", "value": cands.filter(form=Form.PROVINCIAL_MERIT).count(),
         "unit": "bằng khen", "query": "Số đối tượng có hình thức bằng khen"},
        {"key": "certificates", "label": "Giấy khen", "value": cands.filter(form=Form.CERTIFICATE).count(), "unit": "giấy khen",
         "query": "Số đối tượng có hình thức giấy khen"},
    ]
    columns = ["Tập thể, cá nhân", "Hình thức", "Căn cứ", "Quyết định"]
    tables = [{"title": "Danh sách khen thưởng công tác CCHC", "columns": columns, "rows": decided_rows}]
    if drafts:
        tables.append({"title": "Danh sách đang đề nghị khen thưởng", "columns": columns, "rows": rows(drafts)})
    return {"title": "Khen thưởng công tác cải cách hành chính", "figures": figures, "tables": tables}
