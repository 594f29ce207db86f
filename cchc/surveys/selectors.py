"""Reads of cchc.surveys: SIPAS results per unit (with dossier ratings folded in) and national index history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, QuerySet

from cchc.accounts.permissions import descendant_ids, filter_by_scope

from . import sipas
from .models import (
    Answer,
    IndexKind,
    Invitation,
    PublishedAggregate,
    PublishedResult,
    QuestionKind,
    Response,
    Survey,
    SurveyUnit,
)

# DossierRating field → SIPAS aspect code (cchc.dossiers.models.DossierRating). The overall 1–5 rating is
# NOT spread over the aspects (it would count one opinion five times); it is reported beside the index.
RATING_ASPECT_MAP = {
    "access": "access",
    "procedure": "procedure",
    "officials": "civil_servant",
    "result": "result",
    "feedback": "feedback",
}


def survey_list(*, user) -> QuerySet:
    """Đợt khảo sát the user may see: surveys of their province (or with a unit in their scope)."""
    qs = Survey.objects.select_related("questionnaire", "province")
    if user is not None and getattr(user, "is_system_admin", False):
        return qs
    visible_units = filter_by_scope(SurveyUnit.objects.all(), user, "unit").values("survey_id")
    return qs.filter(pk__in=visible_units)


def survey_units(*, survey: Survey, user=None) -> QuerySet:
    qs = SurveyUnit.objects.filter(survey=survey).select_related("unit")
    return qs if user is None else filter_by_scope(qs, user, "unit")


def _aspect_of_question(survey: Survey) -> dict[int, str]:
    """question id → aspect code, counting satisfaction questions (or all, when an aspect has none)."""
    questions = list(survey.questionnaire.questions.select_related("aspect"))
    with_satisfaction = {q.aspect_id for q in questions if q.kind == QuestionKind.SATISFACTION}
    return {
        q.pk: q.aspect.code
        for q in questions
        if q.kind == QuestionKind.SATISFACTION or q.aspect_id not in with_satisfaction
    }


def _rating_counts(survey: Survey, unit_ids_by_unit: dict[int, set[int]]) -> tuple[dict, dict, dict]:
    """Dossier ratings in the survey period, per surveyed unit: aspect level counts, respondents, overall."""
    counts: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    respondents: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[int, list[int]] = defaultdict(list)
    if not survey.include_dossier_ratings:
        return counts, respondents, overall
    from cchc.dossiers.models import DossierRating

    owner = {}
    for unit_id, ids in unit_ids_by_unit.items():
        for i in ids:
            owner.setdefault(i, unit_id)
    start = dt.datetime.combine(survey.period_start, dt.time.min)
    end = dt.datetime.combine(survey.period_end + dt.timedelta(days=1), dt.time.min)
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    rows = DossierRating.objects.filter(
        dossier__unit_id__in=list(owner), created_at__gte=timezone.make_aware(start, tz), created_at__lt=timezone.make_aware(end, tz)
    ).values_list("dossier__unit_id", "overall", *RATING_ASPECT_MAP)
    for unit_id, overall_value, *aspect_values in rows:
        target = owner[unit_id]
        if overall_value:
            overall[target].append(overall_value)
        for field, value in zip(RATING_ASPECT_MAP, aspect_values, strict=True):
            if value:
                code = RATING_ASPECT_MAP[field]
                counts[target][code][value] += 1
                respondents[target][code] += 1
    return counts, respondents, overall


def survey_results(*, survey: Survey, units: list | None = None) -> dict[int, dict]:
    """SIPAS per surveyed unit: {unit_id: {"unit", "sample", "result": SipasResult, "sources": {...}}}.

    Paper and online answers are pooled per aspect; dossier ratings in the survey period count as one
    answer per aspect they rated (mapping RATING_ASPECT_MAP). The margin of error uses, per aspect,
    the number of respondents who answered it (not the number of answers) and the unit's N.
    """
    rule = sipas.SipasRule.from_dict(survey.questionnaire.scoring_rule)
    samples = {s.unit_id: s for s in SurveyUnit.objects.filter(survey=survey).select_related("unit")}
    if units is not None:
        wanted = {getattr(u, "pk", u) for u in units}
        samples = {k: v for k, v in samples.items() if k in wanted}
    aspect_of = _aspect_of_question(survey)
    expected = tuple(survey.questionnaire.aspects.order_by("order").values_list("code", flat=True))

    counts: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    respondents: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    rows = (
        Answer.objects.filter(response__survey=survey, response__unit_id__in=list(samples), value__isnull=False,
                              question_id__in=list(aspect_of))
        .values("response__unit_id", "question_id", "value", "response_id")
    )
    for row in rows.iterator():
        code = aspect_of[row["question_id"]]
        unit_id = row["response__unit_id"]
        counts[unit_id][code][row["value"]] += 1
        respondents[unit_id][code].add(row["response_id"])
    by_channel = defaultdict(dict)
    for row in Response.objects.filter(survey=survey, unit_id__in=list(samples)).values("unit_id", "channel").annotate(n=Count("id")):
        by_channel[row["unit_id"]][row["channel"]] = row["n"]

    subtree = {unit_id: descendant_ids([unit_id]) for unit_id in samples}
    r_counts, r_respondents, r_overall = _rating_counts(survey, subtree)

    out = {}
    for unit_id, sample in samples.items():
        aspects = {}
        for code in list(expected) + [c for c in set(counts[unit_id]) | set(r_counts[unit_id]) if c not in expected]:
            merged = defaultdict(int)
            for level, n in counts[unit_id][code].items():
                merged[level] += n
            for level, n in r_counts[unit_id][code].items():
                merged[level] += n
            n_resp = len(respondents[unit_id][code]) + r_respondents[unit_id][code]
            aspects[code] = sipas.aspect_result(code, dict(merged), rule=rule, population=sample.population, sample_n=n_resp)
        ratings = r_overall[unit_id]
        n_respondents = sum(by_channel[unit_id].values()) + len(ratings)
        result = sipas.overall_result(aspects, rule=rule, expected=expected, respondents=n_respondents, population=sample.population)
        out[unit_id] = {
            "unit": sample.unit,
            "sample": sample,
            "result": result,
            "sources": {
                "paper": by_channel[unit_id].get("paper", 0),
                "online": by_channel[unit_id].get("online", 0),
                "dossier_ratings": len(ratings),
                "rating_overall_mean": round(sum(ratings) / len(ratings), 2) if ratings else None,
            },
            "sample_reached": sample.sample_size is not None and n_respondents >= sample.sample_size,
        }
    return out


def survey_scores_for_units(*, survey: Survey | int | None = None, year: int | None = None, units=None) -> dict[int, Decimal]:
    """{unit_id: overall SIPAS index (%)} for E1's cycle (survey components), 2 decimals.

    Pass a survey (or its id), or a year (the latest survey of that year, closed ones first). Units
    without any valid answer are left out (the cycle then treats them as 'no survey score').
    """
    if survey is None:
        if year is None:
            raise ValueError("survey or year is required")
        survey = Survey.objects.filter(year=year).order_by("status", "-period_end", "-pk").first()
        if survey is None:
            return {}
    elif not isinstance(survey, Survey):
        survey = Survey.objects.get(pk=survey)
    results = survey_results(survey=survey, units=units)
    return {
        unit_id: Decimal(str(round(data["result"].index_pct, 2)))
        for unit_id, data in results.items()
        if data["result"].index_pct is not None
    }


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("survey__questionnaire", "unit").filter(token=token or "").first()


# ---------------------------------------------------------------------------------------------
# national indices
# ---------------------------------------------------------------------------------------------

def _lineage_ids(province) -> set[int]:
    from cchc.units.selectors import unit_predecessors_all

    return {province.pk} | {u.pk for u in unit_predecessors_all(province)}


def national_history(*, province=None) -> dict:
    """Kết quả chỉ số quốc gia của tỉnh: series per index (and per predecessor name) with flags.

    Without a province, all stored province rows are returned grouped by entity.
    """
    qs = PublishedResult.objects.filter(entity_kind="province").select_related("unit")
    if province is not None:
        qs = qs.filter(unit_id__in=_lineage_ids(province))
    rows = list(qs.order_by("index_kind", "component", "entity_name", "year", "source_key"))
    series: dict[str, dict] = {}
    for kind, label in IndexKind.choices:
        series[kind] = {"kind": kind, "label": label, "rows": [], "entities": {}}
    for r in rows:
        s = series[r.index_kind]
        s["rows"].append(r)
        s["entities"].setdefault((r.component, r.entity_name), []).append(r)
    for s in series.values():
        s["has_regional"] = any(r.regional_rank for r in s["rows"])
        s["rows"].sort(key=lambda r: (-r.year, r.component, r.entity_name))
        # rank arrow against the previous year's rank of the same entity (first source with a rank)
        ranks = {}
        for r in sorted(s["rows"], key=lambda r: r.year):
            key = (r.component, r.entity_key)
            prev = ranks.get((key, r.year - 1))
            r.rank_move = None if (prev is None or r.rank is None) else prev - r.rank
            if r.rank is not None:
                ranks.setdefault((key, r.year), r.rank)
    return series


def chart_data(series: dict, kind: str, *, averages: dict[int, float] | None = None) -> dict:
    """Chart.js datasets for one index: one line per (component, entity) for score and one for rank.

    The x axis is every year from the first to the last year with a figure (of the province's
    predecessors or of the national average), so a year with no published figure shows as a gap
    (`null`, never interpolated) and is listed in `missing_years` (no score and no rank for any line).
    `averages` (national average per year) adds a dashed "Trung bình cả nước" line.
    """
    s = series.get(kind) or {"entities": {}}
    entity_years = {r.year for rows in s["entities"].values() for r in rows}
    if not entity_years:
        return {"years": [], "scores": [], "ranks": [], "missing_years": []}
    known = entity_years | set(averages or {})
    years = list(range(min(known), max(known) + 1))
    score_sets, rank_sets = [], []
    covered: set[int] = set()
    for (component, entity), rows in sorted(s["entities"].items()):
        by_year_score, by_year_rank = {}, {}
        for r in rows:
            if r.score is not None:
                by_year_score.setdefault(r.year, float(r.score))
            if r.rank is not None:
                by_year_rank.setdefault(r.year, r.rank)
        covered |= set(by_year_score) | set(by_year_rank)
        label = entity + (f" · {component}" if component else "")
        if by_year_score:
            score_sets.append({"label": label, "data": [by_year_score.get(y) for y in years]})
        if by_year_rank:
            rank_sets.append({"label": label, "data": [by_year_rank.get(y) for y in years]})
    if averages and score_sets:
        score_sets.append({"label": "Trung bình cả nước", "data": [averages.get(y) for y in years], "dashed": True})
    return {"years": years, "scores": score_sets, "ranks": rank_sets,
            "missing_years": [y for y in years if y not in covered]}


def national_aggregates(*, index_kind: str | None = None) -> QuerySet:
    qs = PublishedAggregate.objects.all()
    return qs.filter(index_kind=index_kind) if index_kind else qs


def national_averages(kind: str) -> dict[int, float]:
    """National average per year (scope 'cả nước' / '63 tỉnh', measure 'trung bình').

    An average whose year or origin the source leaves unconfirmed (flag "Chưa xác nhận", e.g. the PAR
    2018 "last year" figure) is not drawn as the national line; it stays in the aggregates table.
    """
    from cchc.core.textfold import fold

    out = {}
    for a in PublishedAggregate.objects.filter(index_kind=kind).order_by("year"):
        if any(str(f).startswith("Chưa xác nhận") for f in (a.flags or [])):
            continue
        if fold(a.measure) == "trung binh" and fold(a.scope) in {"ca nuoc", "63 tinh", "34 tinh"} and a.value is not None:
            out.setdefault(a.year, float(a.value))
    return out
