"""Public lookup: codes and tokens as people type them (case, spaces, missing or typographic dashes), one
normalisation for the page and the API, and still no oracle for a wrong token."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.codes import lookup_candidates, normalise_code, normalise_token

from .factories import applicant


@pytest.mark.parametrize(("typed", "expected"), [
    ("H99.01-260305-0001", "H99.01-260305-0001"),
    ("h99.01-260305-0001", "H99.01-260305-0001"),
    ("  H99.01 - 260305 - 0001\n", "H99.01-260305-0001"),
    ("H99.01\u2013260305\u20140001", "H99.01-260305-0001"),      # en/em dash from a word processor
    ("Ｈ９９.０１-２６０３０５-０００１", "H99.01-260305-0001"),     # full-width digits (NFKC)
    ("H99.01--260305-0001", "H99.01-260305-0001"),
    ("", ""),
])
def test_codes_are_normalised_for_case_spaces_and_dashes(typed, expected):
    assert normalise_code(typed) == expected


@pytest.mark.parametrize(("typed", "first_rebuilt"), [
    ("H99.012603050001", "H99.01-260305-0001"),          # no dashes at all (SMS)
    ("h99.01-2603050001", "H99.01-260305-0001"),         # second dash missing
    ("H99.01260305-0001", "H99.01-260305-0001"),         # first dash missing
    ("H99.01 260305 0001", "H99.01-260305-0001"),        # spaces instead of dashes
    ("H99.01-260305-00012", "H99.01-260305-00012"),      # a widened (5-digit) sequence stays as typed
])
def test_a_code_without_dashes_is_rebuilt_from_its_date_and_sequence(typed, first_rebuilt):
    candidates = lookup_candidates(typed)
    assert first_rebuilt in candidates
    assert candidates[0] == normalise_code(typed)


def test_only_plausible_days_are_rebuilt():
    # 4-digit sequence → day "261305" (month 13) is not a day: that split is not offered
    assert all("-261305-" not in c for c in lookup_candidates("H99.012613050001"))


@pytest.mark.parametrize(("typed", "expected"), [("k7qw 9mzd-2a", "K7QW9MZD2A"), (" ABCDEFGHJK ", "ABCDEFGHJK"), (None, "")])
def test_tokens_ignore_case_spaces_and_dashes(typed, expected):
    assert normalise_token(typed) == expected


@pytest.fixture
def dossier(world):
    return services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())


def _sms_spellings(code: str) -> list[str]:
    agency, day, seq = code.rsplit("-", 2)
    return [code.lower(), f"  {code} ", f"{agency} {day} {seq}", f"{agency}{day}{seq}".lower(), f"{agency}\u2013{day}\u2013{seq}"]


@pytest.mark.django_db
def test_the_lookup_page_finds_a_code_typed_as_people_type_it(client, dossier):
    token = dossier.lookup_token
    for typed in _sms_spellings(dossier.code):
        page = client.get(reverse("dossiers:lookup"), {"code": typed, "token": f"{token[:5].lower()} {token[5:]}"})
        assert page.status_code == 200, typed
        assert dossier.code in page.content.decode()


@pytest.mark.django_db
def test_the_public_api_uses_the_same_normalisation(api_client, dossier):
    agency, day, seq = dossier.code.rsplit("-", 2)
    for typed in (dossier.code.lower(), f"{agency}{day}{seq}"):
        r = api_client.get(f"/api/v1/public/dossiers/{typed}/?token={dossier.lookup_token.lower()}")
        assert r.status_code == 200, typed
        assert r.json()["code"] == dossier.code


@pytest.mark.django_db
def test_a_wrong_token_still_answers_exactly_like_an_unknown_code(client, api_client, dossier):
    typed = dossier.code.lower().replace("-", "")
    wrong = client.get(reverse("dossiers:lookup"), {"code": typed, "token": "WRONGTOKEN"})
    unknown = client.get(reverse("dossiers:lookup"), {"code": "h00.00-000000-0000", "token": dossier.lookup_token})
    assert wrong.status_code == unknown.status_code == 404
    api_wrong = api_client.get(f"/api/v1/public/dossiers/{typed}/?token=WRONGTOKEN")
    api_unknown = api_client.get(f"/api/v1/public/dossiers/H0000000000000000/?token={dossier.lookup_token}")
    assert api_wrong.status_code == api_unknown.status_code == 404
    assert api_wrong.json() == api_unknown.json()
    assert dossier.code not in wrong.content.decode()
