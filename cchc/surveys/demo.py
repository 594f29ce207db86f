"""Demo SIPAS survey for the demo province: a 2025 survey of some departments and communes with answers.

Idempotent: does nothing when the demo survey already exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

DEMO_TITLE = "Khảo sát SIPAS 12 tháng gần nhất (dữ liệu minh họa)"


def build(ctx: dict, *, stdout=None) -> None:
    from cchc.units.models import Unit, UnitKind

    from .models import Answer, Channel, Response, Survey
    from .reference import ensure_questionnaire, load, load_published
    from .services import survey_open

    province = ctx.get("province")
    if province is None:
        return
    load()
    load_published(stdout=stdout)
    if Survey.objects.filter(title=DEMO_TITLE, province=province).exists():
        ctx["sipas_survey"] = Survey.objects.get(title=DEMO_TITLE, province=province)
        return
    with transaction.atomic():
        questionnaire, _ = ensure_questionnaire()
        departments = list(Unit.objects.filter(province=province, kind=UnitKind.DEPARTMENT).order_by("code")[:4])
        communes = list(Unit.objects.filter(province=province, kind__in=[UnitKind.COMMUNE, UnitKind.WARD]).order_by("code")[:6])
        units = departments + communes
        if not units:
            return
        rng = random.Random(2025)
        end = dt.date.today()
        start = end - dt.timedelta(days=364)
        # N from the dossiers engine when the demo province has settled dossiers in 2025, else a made-up N
        from .services import settled_dossiers_count

        populations = {}
        for u in units:
            n = settled_dossiers_count(unit=u, start=start, end=end)
            if not n or n < 100:
                populations[u.pk] = rng.randint(800, 6000)
        survey = survey_open(
            questionnaire=questionnaire, title=DEMO_TITLE, year=end.year, period_start=start,
            period_end=end, units=units, province=province, populations=populations,
        )
        questions = list(questionnaire.questions.all())
        answers = []
        for i, unit in enumerate(units):
            quality = 0.55 + 0.04 * (i % 8)  # units differ
            for k in range(rng.randint(40, 90)):
                r = Response.objects.create(survey=survey, unit=unit, channel=Channel.PAPER if k % 3 else Channel.ONLINE,
                                            paper_number=f"P{k + 1:04d}" if k % 3 else "")
                for q in questions:
                    roll = rng.random()
                    value = None if roll > 0.97 else (5 if roll < quality * 0.45 else 4 if roll < quality else 3 if roll < quality + 0.2 else 2)
                    answers.append(Answer(response=r, question=q, value=value))
        Answer.objects.bulk_create(answers, batch_size=2000)
    ctx["sipas_survey"] = survey
    pushed = _push_into_open_cycles(survey, province)
    if stdout is not None:
        stdout.write(f"surveys: demo survey with {Response.objects.filter(survey=survey).count()} responses; "
                     f"SIPAS pushed into {pushed} open index cycle criteria\n")


def _push_into_open_cycles(survey, province) -> int:
    """Feed the demo SIPAS into the open index cycles' "Chỉ số hài lòng SIPAS" sub-criteria (if any)."""
    from cchc.core.textfold import fold
    from cchc.indices.models import AssessmentCycle, Criterion, CycleState, ScoringMethod

    from .services import sipas_scores_push

    pushed = 0
    for cycle in AssessmentCycle.objects.filter(organiser=province).exclude(state=CycleState.PUBLISHED):
        for crit in Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, is_leaf=True, method=ScoringMethod.SURVEY):
            if "sipas" in fold(crit.title):
                with transaction.atomic():
                    sipas_scores_push(survey=survey, cycle=cycle, criterion_code=crit.code)
                pushed += 1
    return pushed
