"""SIPAS survey services and selectors on the database: sampling, paper and online answers, ratings, scores."""

import datetime as dt

import pytest

from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.surveys import selectors, services
from cchc.surveys.models import Questionnaire, Response

from .conftest import all_answers

pytestmark = pytest.mark.django_db


def test_opening_a_survey_designs_the_sample_from_N(world):
    samples = {s.unit_id: s for s in world["survey"].samples.all()}
    assert samples[world["dept"].pk].sample_size == 286  # 1000 / (1 + 1000 * 0.0025)
    assert samples[world["commune"].pk].sample_size == 200
    assert samples[world["dept"].pk].population_source == "manual"


def test_N_entered_later_recomputes_the_sample_size(world):
    s = services.survey_sample_set(survey=world["survey"], unit=world["dept"], population=10000, actor=world["par"])
    assert (s.population, s.sample_size) == (10000, 385)


def test_paper_answers_give_aspect_indices_and_the_overall_index(world):
    q, survey, commune = world["q"], world["survey"], world["commune"]
    for value in (5, 4, 4, 2):  # 3 of 4 respondents satisfied in every aspect
        services.response_enter_paper(survey=survey, unit=commune, answers=all_answers(q, value), actor=world["officer"])
    result = selectors.survey_results(survey=survey)[commune.pk]["result"]
    assert result.index_pct == pytest.approx(75.0)
    access = result.aspects["access"]
    # only the satisfaction question of the aspect counts, and the margin uses 4 respondents with N = 400
    assert (access.valid, access.satisfied) == (4, 3)
    assert access.margin_pct == pytest.approx(1.96 * (0.75 * 0.25 / 4) ** 0.5 * ((400 - 4) / 399) ** 0.5 * 100)
    assert selectors.survey_scores_for_units(survey=survey) == {commune.pk: pytest.approx(75)}


def test_paper_entry_checks_values_scope_and_duplicates(world):
    q, survey = world["q"], world["survey"]
    with pytest.raises(DomainError):
        services.response_enter_paper(survey=survey, unit=world["commune"], answers={"A3": 7}, actor=world["officer"])
    with pytest.raises(DomainError):
        services.response_enter_paper(survey=survey, unit=world["commune"], answers={"ZZ": 3}, actor=world["officer"])
    with pytest.raises(DomainError):
        services.response_enter_paper(survey=survey, unit=world["commune"], answers={"A3": ""}, actor=world["officer"])
    with pytest.raises(ForbiddenError):
        services.response_enter_paper(survey=survey, unit=world["dept"], answers=all_answers(q, 5), actor=world["officer"])
    services.response_enter_paper(survey=survey, unit=world["commune"], answers=all_answers(q, 5), paper_number="7", actor=world["officer"])
    with pytest.raises(ConflictError):
        services.response_enter_paper(survey=survey, unit=world["commune"], answers=all_answers(q, 5), paper_number="7", actor=world["officer"])
    assert Response.objects.count() == 1


def test_a_one_time_link_accepts_exactly_one_answer(world):
    inv = services.invitation_create(survey=world["survey"], unit=world["commune"], actor=world["officer"])
    services.response_submit_online(token=inv.token, answers={"A3": 5, "B3": 4})
    with pytest.raises(ConflictError):
        services.response_submit_online(token=inv.token, answers={"A3": 1})
    with pytest.raises(NotFoundError):
        services.response_submit_online(token="nope", answers={"A3": 1})
    assert Response.objects.get().channel == "online"


def test_a_closed_survey_accepts_no_more_answers(world):
    inv = services.invitation_create(survey=world["survey"], unit=world["commune"])
    services.survey_close(survey=world["survey"], actor=world["par"])
    with pytest.raises(ConflictError):
        services.response_submit_online(token=inv.token, answers={"A3": 5})


def test_units_with_no_answers_are_left_out_of_survey_scores(world):
    assert selectors.survey_scores_for_units(survey=world["survey"]) == {}
    assert selectors.survey_scores_for_units(year=2025) == {}
    assert selectors.survey_scores_for_units(year=1999) == {}


def test_questionnaire_versions_and_rule_changes_are_kept(world):
    q2 = services.questionnaire_create(code="SIPAS", title="Phiếu mới", aspects=[{"code": "access", "title": "Tiếp cận", "questions": [{"code": "X1", "text": "?"}]}])
    assert q2.version == 2 and Questionnaire.objects.filter(code="SIPAS").count() == 2
    with pytest.raises(DomainError):
        services.questionnaire_rule_set(questionnaire=q2, rule={"satisfied_levels": [9]})
    services.questionnaire_rule_set(questionnaire=q2, rule={"satisfied_levels": [5]}, reason="thử")
    q2.refresh_from_db()
    assert q2.scoring_rule["satisfied_levels"] == [5]


def test_survey_open_refuses_a_bad_period_and_outsiders(world):
    with pytest.raises(DomainError):
        services.survey_open(questionnaire=world["q"], title="x", year=2025, period_start=dt.date(2025, 2, 1),
                             period_end=dt.date(2025, 1, 1), units=[world["dept"]])
    with pytest.raises(ForbiddenError):
        services.survey_open(questionnaire=world["q"], title="x", year=2025, period_start=dt.date(2025, 1, 1),
                             period_end=dt.date(2025, 2, 1), units=[world["dept"]], province=world["province"], actor=world["outsider"])


def test_survey_list_shows_only_what_the_user_may_see(world):
    assert list(selectors.survey_list(user=world["par"])) == [world["survey"]]
    assert list(selectors.survey_list(user=world["officer"])) == [world["survey"]]
    assert list(selectors.survey_list(user=world["outsider"])) == []
    assert list(selectors.survey_list(user=world["citizen"])) == []


def test_dossier_ratings_fold_into_the_aspects_they_rate_and_N_comes_from_settled_dossiers(db):
    from django.utils import timezone

    from cchc.dossiers.models import Dossier, DossierRating
    from cchc.dossiers.tests.factories import make_world
    from cchc.surveys.reference import ensure_questionnaire

    w = make_world()
    now = timezone.now()
    for i, (overall, access, officials) in enumerate([(5, 5, 2), (4, 4, None), (2, None, None)]):
        d = Dossier.objects.create(
            code=f"T-{i}", lookup_token="x", status="returned", procedure=w["procedure"], province_procedure=w["pp"],
            unit=w["desk"], province=w["province"], channel="counter", applicant_name="A",
            received_at=now, settled_at=now, settled_on=timezone.localdate(), due_at=now,
        )
        DossierRating.objects.create(dossier=d, overall=overall, access=access, officials=officials)
    q, _ = ensure_questionnaire()
    today = timezone.localdate()
    survey = services.survey_open(questionnaire=q, title="S", year=today.year, period_start=today.replace(month=1, day=1),
                                  period_end=today.replace(month=12, day=31), units=[w["commune"]], province=w["province"])
    sample = survey.samples.get()
    assert sample.population_source == "dossiers" and sample.population == 3
    data = selectors.survey_results(survey=survey)[w["commune"].pk]
    aspects = data["result"].aspects
    assert (aspects["access"].valid, aspects["access"].satisfied) == (2, 2)
    assert (aspects["civil_servant"].valid, aspects["civil_servant"].satisfied) == (1, 0)
    assert aspects["procedure"].valid == 0  # the overall rating is not spread over aspects
    assert data["sources"]["dossier_ratings"] == 3 and data["sources"]["rating_overall_mean"] == pytest.approx(11 / 3, abs=0.01)
    assert data["result"].index_pct == pytest.approx(50.0)  # mean of access 100 and civil servant 0
