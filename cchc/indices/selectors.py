"""Chỉ số CCHC — reads: criteria trees, cycles, results (live or published snapshot), lost points,
group figures, year-on-year through mergers, path to a target rank.

Results are computed in two steps: one aggregate query fetches every unit's final points per leaf
(COALESCE(appraisal 2, appraisal 1, self)), then the pure scorer (`scoring.py`) totals and ranks.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from cchc.accounts.permissions import can, filter_by_scope, scope_q
from cchc.core.errors import DomainError, ForbiddenError, NotFoundError

from . import scoring, workflow
from .models import Assessment, AssessmentCycle, CriteriaSet, Criterion, CycleResult, CycleState, CycleUnit

# ------------------------------------------------------------------------------------ criteria sets


def criteria_sets_visible(user) -> QuerySet[CriteriaSet]:
    """Bộ tiêu chí a user may see: national sets/templates (no owner) and those of units in scope."""
    qs = CriteriaSet.objects.select_related("owner")
    q = scope_q(user, "owner")
    if q is None:
        return qs
    if not can(user, "view"):
        return qs.none()
    return qs.filter(Q(owner__isnull=True) | q)


def criteria_tree(criteria_set: CriteriaSet) -> scoring.CriteriaTree:
    """The stored tree as a pure `scoring.CriteriaTree` (codes, maxima, order)."""
    rows = []
    for code, parent_code, title, max_points, position in (
        Criterion.objects.filter(criteria_set=criteria_set).order_by("position").values_list("code", "parent__code", "title", "max_points", "position")
    ):
        rows.append(scoring.CriterionRow(code=code, parent=parent_code, title=title, max_points=max_points, row=position + 2))
    return scoring.build_tree(rows)


def criteria_as_tree_dicts(criteria_set: CriteriaSet) -> list[dict]:
    """Nested dicts (fields → criteria → sub-criteria) for pages and the API detail."""
    nodes = {}
    roots = []
    for c in criteria_set.criteria.order_by("position"):
        d = {
            "id": c.pk, "code": c.code, "title": c.title, "max_points": c.max_points, "level": c.level, "is_leaf": c.is_leaf,
            "method": c.method, "rule": c.rule, "responsible": c.responsible, "evidence_required": c.evidence_required,
            "effort": c.effort, "confirmed": c.confirmed, "children": [],
        }
        nodes[c.pk] = d
        (nodes[c.parent_id]["children"] if c.parent_id else roots).append(d)
    return roots


# ------------------------------------------------------------------------------------------- cycles


def cycles_visible(user) -> QuerySet[AssessmentCycle]:
    """Kỳ đánh giá a user may see: organised by a unit in scope, or assessing a unit in scope."""
    qs = AssessmentCycle.objects.select_related("criteria_set", "organiser")
    q = scope_q(user, "organiser")
    if q is None:
        return qs
    unit_q = scope_q(user, "unit")
    in_cycles = CycleUnit.objects.filter(unit_q).values("cycle_id")
    return qs.filter(q | Q(pk__in=in_cycles)).distinct()


def cycle_get(*, cycle_id: int, user=None) -> AssessmentCycle:
    """One cycle, checked against the user's scope (NotFoundError otherwise)."""
    qs = AssessmentCycle.objects.select_related("criteria_set", "organiser") if user is None else cycles_visible(user)
    cycle = qs.filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFoundError("Không tìm thấy kỳ đánh giá.")
    return cycle


def cycle_units(cycle: AssessmentCycle, user=None) -> QuerySet[CycleUnit]:
    qs = CycleUnit.objects.filter(cycle=cycle).select_related("unit")
    return qs if user is None else filter_by_scope(qs, user, "unit")


def cycle_assessments(cycle: AssessmentCycle, *, unit=None, user=None) -> QuerySet[Assessment]:
    """Assessments of a cycle (self, appraisal 1 and 2 side by side), scoped to the user."""
    qs = Assessment.objects.filter(cycle=cycle).select_related("criterion", "unit").prefetch_related("evidence")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs if user is None else filter_by_scope(qs, user, "unit")


def phase_progress(cycle: AssessmentCycle) -> dict | None:
    """Tiến độ của bước đang mở: which participants have finished it (None for draft and published).

    Finished means: self-assessment — every self-assessed sub-criterion has self points ("đã nộp");
    appraisal 1 — every sub-criterion has first-round points (accepted or adjusted); explanation — every
    sub-criterion lowered in round 1 has an explanation (a unit with nothing lowered is finished);
    appraisal 2 — every explained sub-criterion has second-round points.
    Returns {"state", "done": [names], "not_done": [names], "done_count", "total", "message"}.
    """
    state = cycle.state
    if state not in workflow.PHASE_PROGRESS_LABEL:
        return None
    leaves = Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True)
    rows = Assessment.objects.filter(cycle=cycle, criterion__is_leaf=True)
    if state == workflow.SELF_ASSESSMENT:
        need = leaves.filter(method="self_assessed").count()
        have = rows.filter(criterion__method="self_assessed", self_points__isnull=False)
    elif state == workflow.APPRAISAL_1:
        need = leaves.count()
        have = rows.filter(appraisal1_points__isnull=False)
    elif state == workflow.APPRAISAL_2:  # what is still open counts against the unit: explained, not re-appraised
        need = 0
        have = rows.exclude(explanation="").filter(appraisal2_points__isnull=True)
    else:  # explanation: what is still to explain counts against the unit
        need = 0
        have = rows.filter(appraisal1_points__lt=F("self_points"), explanation="")
    counts = dict(have.values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    done, not_done = [], []
    for unit_id, name in CycleUnit.objects.filter(cycle=cycle).order_by("unit__name").values_list("unit_id", "unit__name"):
        n = counts.get(unit_id, 0)
        finished = n >= need if need else n == 0
        (done if finished else not_done).append(name)
    return {
        "state": state, "done": done, "not_done": not_done, "done_count": len(done), "total": len(done) + len(not_done),
        "label": workflow.PHASE_PROGRESS_LABEL[state][0],
        "message": workflow.confirmation_message(state, done, not_done) if not_done else "",
    }


# ------------------------------------------------------------------------------------------ results


def _shortfalls_and_stages(cycle: AssessmentCycle) -> tuple[dict[int, dict[str, Decimal | None]], dict[int, dict[str, Decimal]]]:
    """One GROUP BY pass over the cycle's assessments (plus a small follow-up for incomplete units).

    Per unit: stage totals — self, appraisal 1 (as it stood), appraisal 2 (= final) — summed in
    hundredths so they are exact on SQLite too (whose NUMERIC columns hold floats); the number of scored
    leaves; and the shortfalls "criterion_id=final" of the leaves scored below their maximum, concatenated
    (GROUP_CONCAT / STRING_AGG), so full-mark leaves never leave the database.
    Leaves without a score (no row or all stages empty): with one missing leaf its id is the difference
    of id sums; with more, one indexed query for those units only.
    Returns (unit_id → {leaf code: points below max, or None when missing}, unit_id → stage totals).
    """
    leaves = dict(Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True).values_list("pk", "code"))
    a_table, c_table = Assessment._meta.db_table, Criterion._meta.db_table
    final = "COALESCE(a.appraisal2_points, a.appraisal1_points, a.self_points)"
    pair = f"CAST(a.criterion_id AS TEXT) || '=' || CAST({final} AS TEXT)"
    concat = "GROUP_CONCAT({})" if connection.vendor == "sqlite" else "STRING_AGG({}, ',')"
    sql = (
        f"SELECT a.unit_id, CAST(SUM(ROUND(a.self_points * 100)) AS TEXT), "
        f"CAST(SUM(ROUND(COALESCE(a.appraisal1_points, a.self_points) * 100)) AS TEXT), "
        f"CAST(SUM(ROUND({final} * 100)) AS TEXT), COUNT({final}), "
        f"SUM(CASE WHEN {final} IS NOT NULL THEN a.criterion_id ELSE 0 END), "
        f"{concat.format(f'CASE WHEN {final} < c.max_points THEN {pair} END')} "
        f"FROM {a_table} a JOIN {c_table} c ON c.id = a.criterion_id "
        f"WHERE a.cycle_id = %s AND c.is_leaf = %s GROUP BY a.unit_id"
    )
    parsed: dict[str, Decimal] = {}
    shortfalls: dict[int, dict[str, Decimal | None]] = {}
    stages: dict[int, dict[str, Decimal]] = {}
    hundred = Decimal(100)
    n_leaves, id_sum = len(leaves), sum(leaves)
    several_missing: list[int] = []

    def cents(txt):
        return Decimal(0) if txt is None else Decimal(txt).to_integral_value() / hundred

    with connection.cursor() as cur:
        cur.execute(sql, [cycle.pk, True])
        for unit_id, s_txt, a1_txt, a2_txt, scored, scored_ids, pairs in cur.fetchall():
            stages[unit_id] = {"self": cents(s_txt), "appraisal_1": cents(a1_txt), "appraisal_2": cents(a2_txt)}
            short: dict[str, Decimal | None] = {}
            if pairs:
                for item in pairs.split(","):
                    cid, _, txt = item.partition("=")
                    v = parsed.get(txt)
                    if v is None:
                        v = parsed[txt] = Decimal(txt)
                    short[leaves[int(cid)]] = v
            if scored == n_leaves - 1:
                short[leaves[id_sum - int(scored_ids or 0)]] = None
            elif scored < n_leaves:
                several_missing.append(unit_id)
            shortfalls[unit_id] = short
        participants = list(CycleUnit.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
        for unit_id in participants:
            if unit_id not in shortfalls:  # no assessment at all: every leaf missing
                shortfalls[unit_id] = dict.fromkeys(leaves.values())
        if several_missing:
            present: dict[int, set[int]] = defaultdict(set)
            for start in range(0, len(several_missing), 500):
                chunk = several_missing[start:start + 500]
                cur.execute(
                    f"SELECT a.unit_id, a.criterion_id FROM {a_table} a WHERE a.cycle_id = %s AND {final} IS NOT NULL "
                    f"AND a.unit_id IN ({', '.join(['%s'] * len(chunk))})",
                    [cycle.pk, *chunk],
                )
                for unit_id, cid in cur.fetchall():
                    present[unit_id].add(cid)
            for unit_id in several_missing:
                for cid, code in leaves.items():
                    if cid not in present[unit_id]:
                        shortfalls[unit_id][code] = None
    return shortfalls, stages


def _predecessors_all(unit) -> list:
    from cchc.units.selectors import unit_predecessors_all

    return sorted(unit_predecessors_all(unit), key=lambda u: u.code)


def _previous_figures(cycle: AssessmentCycle, units) -> dict[int, dict]:
    """Previous-year index and rank per unit, following mergers.

    Rule (documented in docs/indices.md): a unit that was itself assessed in the previous cycle takes
    its own figure and rank. Otherwise its direct predecessors (Unit.predecessors, set when units
    merge; if none of them was assessed, every earlier predecessor via `cchc.units.selectors.
    unit_predecessors_all`) that were assessed give the figure: the unweighted mean of their indices; its previous rank
    is the rank that mean would have taken in the previous cycle's table of its group (ties share the
    best rank).
    """
    prev = cycle.previous
    if prev is None:
        return {}
    prev_results = {r["unit_id"]: r for r in cycle_results_data(prev)}
    by_group: dict[str, list[Decimal]] = defaultdict(list)
    for r in prev_results.values():
        by_group[r["group"]].append(Decimal(str(r["index_pct"])))
    out = {}
    for unit in units:
        own = prev_results.get(unit.pk)
        if own is not None:
            out[unit.pk] = {"index_pct": own["index_pct"], "rank": own["rank"], "rule": "same_unit", "from": [unit.code]}
            continue
        preds = [p for p in unit.predecessors.all() if p.pk in prev_results]
        if not preds:
            preds = [p for p in _predecessors_all(unit) if p.pk in prev_results]
        if not preds:
            continue
        mean = scoring.previous_index_through_mergers([Decimal(str(prev_results[p.pk]["index_pct"])) for p in preds])
        group = prev_results[preds[0].pk]["group"]
        out[unit.pk] = {
            "index_pct": float(mean), "rank": scoring.rank_of_value(mean, by_group[group]),
            "rule": "mean_of_predecessors", "from": sorted(p.code for p in preds),
        }
    return out


def cycle_compute_results(cycle: AssessmentCycle) -> list[dict]:
    """Compute (live) every participant's result: totals, index, rank in its group, field ranks,
    lost points with the unit in charge and the unit's explanation, stage totals, previous year.

    Sorted by group, then rank, then unit name.
    """
    tree = criteria_tree(cycle.criteria_set)
    field_of = tree.field_of()
    static = {
        code: {"title": title, "field": field_of.get(code, ""), "max": float(max_points), "responsible": responsible}
        for code, title, max_points, responsible in Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True)
        .values_list("code", "title", "max_points", "responsible")
    }
    leaf_max = {code: tree.nodes[code].max_points for code in tree.leaves}
    participants = list(CycleUnit.objects.filter(cycle=cycle).values_list("unit_id", "group", "unit__code", "unit__name", "unit__region"))
    shortfalls, stages = _shortfalls_and_stages(cycle)
    explanations = {
        (u, code): (expl or self_expl)
        for u, code, expl, self_expl in Assessment.objects.filter(cycle=cycle)
        .exclude(explanation="", self_explanation="")
        .values_list("unit_id", "criterion__code", "explanation", "self_explanation")
    }
    groups: dict[str, list[tuple[tuple, scoring.UnitScore]]] = defaultdict(list)
    empty: dict = {}
    for p in participants:
        us = scoring.score_unit_from_shortfalls(tree, str(p[0]), shortfalls.get(p[0], empty))
        groups[p[1]].append((p, us))
    previous = {}
    if cycle.previous_id:
        from cchc.units.models import Unit

        previous = _previous_figures(cycle, list(Unit.objects.filter(pk__in=[p[0] for p in participants]).prefetch_related("predecessors")))
    # every stored value has at most 2 decimals (DecimalField(decimal_places=2)), so sums and
    # differences do too and float() is the rounded figure itself
    num = float

    field_meta = {code: (tree.nodes[code].title, tree.nodes[code].max_points) for code in tree.roots}
    zero_stage = {"self": Decimal(0), "appraisal_1": Decimal(0), "appraisal_2": Decimal(0)}
    out = []
    for group in sorted(groups):
        items = groups[group]
        scoring.rank_units([us for _, us in items])
        items.sort(key=lambda it: (it[1].rank, it[0][3]))
        size = len(items)
        for (unit_id, _g, unit_code, unit_name, region), us in items:
            prev = previous.get(unit_id)
            st = stages.get(unit_id, zero_stage)
            lost = []
            for code, amount in us.lost:
                info = static[code]
                lost.append({
                    "code": code, "title": info["title"], "field": info["field"], "lost": num(amount), "max": info["max"],
                    "points": num(leaf_max[code] - amount), "responsible": info["responsible"],
                    "explanation": explanations.get((unit_id, code), ""),
                })
            out.append({
                "unit_id": unit_id, "unit_code": unit_code, "unit": unit_name, "group": group, "region": region,
                "total": num(us.total), "max": num(us.max_points), "index_pct": float(us.index_pct), "rank": us.rank,
                "group_size": size,
                "stage_totals": {k: num(v) for k, v in st.items()},
                "fields": {
                    code: {
                        "title": field_meta[code][0], "points": num(pts), "max": num(field_meta[code][1]),
                        "index_pct": float(scoring.index_pct(pts, field_meta[code][1])), "rank": us.field_ranks[code],
                    }
                    for code, pts in us.fields.items()
                },
                "lost": lost,
                "missing": us.missing,
                "previous": prev,
                "change": (
                    {"index_pct": float(scoring.q2(us.index_pct - Decimal(str(prev["index_pct"])))), "rank": prev["rank"] - us.rank}
                    if prev else None
                ),
            })
    return out


def cycle_results_data(cycle: AssessmentCycle) -> list[dict]:
    """Results of a cycle: the frozen snapshot when published, otherwise computed live."""
    if cycle.state == CycleState.PUBLISHED:
        return [r.data for r in CycleResult.objects.filter(cycle=cycle).order_by("group", "rank", "pk")]
    return cycle_compute_results(cycle)


def cycle_results(*, cycle: AssessmentCycle, user=None) -> list[dict]:
    """Results a user may see: all rows for the organiser's PAR office and leaders, own units otherwise."""
    rows = cycle_results_data(cycle)
    if user is None:
        return rows
    q = scope_q(user, "unit")
    if q is None:
        return rows
    allowed = set(CycleUnit.objects.filter(cycle=cycle).filter(q).values_list("unit_id", flat=True))
    return [r for r in rows if r["unit_id"] in allowed]


def cycle_unit_result(*, cycle: AssessmentCycle, unit, user=None) -> dict:
    """One unit's result row (NotFoundError if absent or out of scope)."""
    for r in cycle_results(cycle=cycle, user=user):
        if r["unit_id"] == unit.pk:
            return r
    raise NotFoundError("Không có kết quả của đơn vị này trong kỳ đánh giá.")


def lost_points(*, cycle: AssessmentCycle, user=None, unit=None) -> list[dict]:
    """Bảng điểm bị trừ: every sub-criterion where a unit got less than the maximum, largest loss first
    (then unit name, then code), with the unit in charge and the unit's explanation."""
    rows = []
    for r in cycle_results(cycle=cycle, user=user):
        if unit is not None and r["unit_id"] != unit.pk:
            continue
        for item in r["lost"]:
            rows.append({"unit_id": r["unit_id"], "unit": r["unit"], "group": r["group"], **item})
    rows.sort(key=lambda x: (-x["lost"], x["unit"], x["code"]))
    return rows


def group_figures(*, cycle: AssessmentCycle, user=None, top: int = 5) -> dict:
    """Số liệu nhóm: per group — count, mean/median/min/max index, mean per region, distribution in
    bands (≥90, 80–90, 70–80, <70 — the A/B/C grouping of the national index), top and bottom units."""
    rows = cycle_results(cycle=cycle, user=user)
    out = {}
    by_group: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_group[r["group"]].append(r)
    for group, items in by_group.items():
        values = [r["index_pct"] for r in items]
        regions: dict[str, list[float]] = defaultdict(list)
        for r in items:
            regions[r.get("region") or ""].append(r["index_pct"])
        bands = {"A (≥ 90%)": 0, "B (80–90%)": 0, "C (70–80%)": 0, "D (< 70%)": 0}
        for v in values:
            key = "A (≥ 90%)" if v >= 90 else "B (80–90%)" if v >= 80 else "C (70–80%)" if v >= 70 else "D (< 70%)"
            bands[key] += 1
        ordered = sorted(items, key=lambda r: (r["rank"], r["unit"]))
        out[group] = {
            "count": len(items),
            "mean": round(statistics.fmean(values), 2),
            "median": round(statistics.median(values), 2),
            "min": min(values), "max": max(values),
            "by_region": {k: round(statistics.fmean(v), 2) for k, v in sorted(regions.items())},
            "distribution": bands,
            "top": [{"unit": r["unit"], "index_pct": r["index_pct"], "rank": r["rank"]} for r in ordered[:top]],
            "bottom": [{"unit": r["unit"], "index_pct": r["index_pct"], "rank": r["rank"]} for r in ordered[-top:][::-1]],
        }
    return out


def path_to_target(*, cycle: AssessmentCycle, unit, target_rank: int, peers: list[dict] | None = None, user=None) -> dict:
    """Lộ trình đạt hạng k: needed score and the lost sub-criteria to recover (greedy by points per effort).

    `peers`: a results table [{"unit": name, "index_pct": value}] (e.g. last year's national table, even
    partial); default: the other units of the unit's group in this cycle. Scores are compared as index %.
    Effort comes from the criterion's `effort` tag (low/medium/high = 1/2/3, or a number; default 1).
    """
    if user is not None and not can(user, "view", unit):
        raise ForbiddenError("Bạn không có quyền xem đơn vị này.")
    me = cycle_unit_result(cycle=cycle, unit=unit)
    if peers is None:
        peer_scores = [Decimal(str(r["index_pct"])) for r in cycle_results_data(cycle) if r["group"] == me["group"] and r["unit_id"] != unit.pk]
    else:
        try:
            peer_scores = [scoring.parse_number(p["index_pct"] if isinstance(p, dict) else p) for p in peers
                           if not (isinstance(p, dict) and p.get("unit") in (unit.name, unit.code))]
        except (ValueError, KeyError):
            raise DomainError("Bảng kết quả so sánh không hợp lệ (cần index_pct là số).", code="invalid", field="peers") from None
    efforts = dict(Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id).values_list("code", "effort"))
    max_total = Decimal(str(me["max"])) or Decimal(1)
    lost_items = []
    for item in me["lost"]:
        try:
            effort = scoring.effort_value(efforts.get(item["code"]))
        except ValueError:
            effort = Decimal(1)
        # recovered points expressed in index % so they compare with the peers' table
        lost_items.append(scoring.LostItem(code=item["code"], title=item["title"], effort=effort,
                                           lost=scoring.q2(Decimal(str(item["lost"])) * 100 / max_total)))
    plan = scoring.path_to_target(current_score=Decimal(str(me["index_pct"])), peer_scores=peer_scores, target_rank=target_rank, lost=lost_items)
    return {"unit": me["unit"], "unit_id": unit.pk, "scale": "index_pct", **plan.as_dict()}
