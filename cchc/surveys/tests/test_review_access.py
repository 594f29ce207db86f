"""Security review: closing a SIPAS survey needs "manage" on its province, or on every surveyed unit."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.core.errors import ForbiddenError
from cchc.surveys import services
from cchc.surveys.models import Survey, SurveyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def provinceless(world):
    """A survey opened without an organising province (allowed by survey_open for a unit's own survey)."""
    return services.survey_open(
        questionnaire=world["q"], title="SIPAS xã", year=2025, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
        units=[world["commune"]], province=None, populations={world["commune"].pk: 100}, actor=world["par"],
    )


def test_an_officer_cannot_close_a_survey_of_the_province(world):
    with pytest.raises(ForbiddenError):
        services.survey_close(survey=world["survey"], actor=world["officer"])
    assert Survey.objects.get(pk=world["survey"].pk).status == SurveyStatus.OPEN


def test_an_officer_cannot_close_a_survey_without_a_province_either(world, provinceless):
    with pytest.raises(ForbiddenError):
        services.survey_close(survey=provinceless, actor=world["officer"])
    assert Survey.objects.get(pk=provinceless.pk).status == SurveyStatus.OPEN


def test_the_par_office_managing_the_surveyed_units_closes_a_survey_without_a_province(world, provinceless):
    assert services.survey_close(survey=provinceless, actor=world["par"]).status == SurveyStatus.CLOSED


def test_the_close_button_posted_by_an_officer_leaves_the_survey_open(client, world, provinceless):
    client.force_login(world["officer"])
    response = client.post(f"/chi-so/sipas/dot/{provinceless.pk}/ket-thuc/")
    assert response.status_code == 302
    assert Survey.objects.get(pk=provinceless.pk).status == SurveyStatus.OPEN
