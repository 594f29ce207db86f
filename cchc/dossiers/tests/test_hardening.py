"""Probes of issue 11 pinned: no 500 for odd bodies and headers, the handling unit stays in the province,
limits on free text, documents and apology dates are refused at the boundary with the field named."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from cchc.core.errors import DomainError
from cchc.core.models import AuditEvent
from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier

from .factories import applicant
from .test_api import body, client_for, create

pytestmark = pytest.mark.django_db


def _returned(api_client, world):
    created = create(api_client, world).json()
    url = f"/api/v1/dossiers/{created['code']}/transitions/"
    assert api_client.post(url, {"action": "complete", "version": 1}, format="json").status_code == 200
    assert api_client.post(url, {"action": "return", "version": 2}, format="json").status_code == 200
    api_client.credentials()
    return created


@pytest.mark.parametrize("raw", ["[]", "null", "1", '"chuỗi"', "[1, 2]"])
@pytest.mark.parametrize("with_token", [True, False])
def test_the_rating_api_answers_400_to_a_body_that_is_not_an_object(api_client, world, raw, with_token):
    created = _returned(api_client, world)
    url = f"/api/v1/public/dossiers/{created['code']}/rating/" + (f"?token={created['lookup_token']}" if with_token else "")
    r = api_client.post(url, data=raw, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_body"


def test_the_rating_api_without_a_token_is_a_404_like_a_wrong_one(api_client, world):
    created = _returned(api_client, world)
    r = api_client.post(f"/api/v1/public/dossiers/{created['code']}/rating/", {"overall": 5}, format="json")
    assert r.status_code == 404
    r = api_client.post(f"/api/v1/public/dossiers/{created['code']}/rating/", {"overall": 5, "token": ["x"]}, format="json")
    assert r.status_code == 404


def test_a_lone_surrogate_in_a_name_is_a_400_not_a_500(api_client, world):
    client_for(api_client, world["officer"])
    raw = json.dumps(body(world, applicant=applicant(name="Nguyễn \ud800 Văn")))  # json escapes it as \ud800
    r = api_client.post("/api/v1/dossiers/", data=raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-s")
    assert r.status_code == 400 and r.json()["code"] == "invalid_character"
    assert Dossier.objects.count() == 0
    ok = json.dumps(body(world, applicant=applicant(name="Nguyễn Văn 😀")))  # a proper pair is fine
    assert api_client.post("/api/v1/dossiers/", data=ok, content_type="application/json").status_code == 201


@pytest.mark.parametrize(("depth", "status"), [(64, None), (65, 400), (100_000, 400)])
def test_json_nested_deeper_than_64_levels_is_refused(api_client, world, depth, status):
    client_for(api_client, world["officer"])
    raw = '{"x":' * (depth - 1) + "{}" + "}" * (depth - 1)
    r = api_client.post("/api/v1/dossiers/", data=raw, content_type="application/json")
    if status is None:
        assert r.status_code == 400 and r.json()["code"] != "json_too_deep"  # reaches the serializer: a normal 400
    else:
        assert r.status_code == status and r.json()["code"] == "json_too_deep"


@pytest.mark.parametrize("key", ["a\x00b", "tab\there", "\x1b[31m"])
def test_a_control_character_in_the_idempotency_key_is_a_400(api_client, world, key):
    r = create(api_client, world, key=key)
    assert r.status_code == 400 and r.json()["field"] == "Idempotency-Key"
    assert Dossier.objects.count() == 0


# --------------------------------------------------------------------- handling unit in the province

def _received(world):
    return services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                    applicant=applicant())


def test_a_dossier_cannot_be_assigned_to_a_unit_of_another_province(api_client, world):
    d = _received(world)
    c = client_for(api_client, world["officer"])
    for code in (world["other_province"].code, world["other_centre"].code):
        r = c.post(f"/api/v1/dossiers/{d.code}/transitions/", {"action": "assign", "version": d.version,
                                                                 "handling_unit_code": code}, format="json")
        assert r.status_code == 400 and r.json()["code"] == "handling_unit_other_province"
        assert r.json()["field"] == "handling_unit_code"
    d.refresh_from_db()
    assert d.handling_unit_id != world["other_centre"].pk and d.steps.count() == 0
    ok = c.post(f"/api/v1/dossiers/{d.code}/transitions/", {"action": "assign", "version": d.version,
                                                             "handling_unit_code": world["dept"].code}, format="json")
    assert ok.status_code == 200


def test_the_province_itself_and_its_communes_may_handle_but_not_a_merged_away_unit(world):
    from cchc.units.models import Unit, UnitKind

    district = Unit.objects.create(code="T99.H1", name="Huyện cũ", kind=UnitKind.DISTRICT, parent=world["province"])
    closed = Unit.objects.create(code="T99.SX", name="Sở đã giải thể", kind=UnitKind.DEPARTMENT, parent=world["province"],
                                 is_active=False)
    for unit in (district, closed):
        d = _received(world)
        with pytest.raises(DomainError) as exc:
            services.dossier_transition(dossier=d, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=unit.code)
        assert exc.value.code == "handling_unit_inactive"
    for unit in (world["province"], world["commune"]):
        d = _received(world)
        d = services.dossier_transition(dossier=d, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=unit.code)
        assert d.handling_unit == unit


# --------------------------------------------------------------------- limits

def test_a_reason_of_2000_characters_is_kept_and_2001_refused_before_the_audit_chain(world):
    d = _received(world)
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        services.dossier_transition(dossier=d, action=wf.REJECT, actor=world["officer"], reason="x" * 2001)
    assert exc.value.field == "reason" and exc.value.code == "max_length"
    assert AuditEvent.objects.count() == before
    d = services.dossier_transition(dossier=d, action=wf.REJECT, actor=world["officer"], reason="x" * 2000)
    assert d.status == wf.REJECTED and len(AuditEvent.objects.latest("id").reason) == 2000


def test_the_api_refuses_a_2_000_000_character_reason(api_client, world):
    d = _received(world)
    r = client_for(api_client, world["officer"]).post(
        f"/api/v1/dossiers/{d.code}/transitions/", {"action": "reject", "version": d.version, "reason": "x" * 2_000_000},
        format="json")
    assert r.status_code == 400 and r.json()["field"] == "reason"


@pytest.mark.parametrize(("length", "ok"), [(255, True), (256, False)])
def test_a_task_over_255_characters_is_refused_not_cut(world, length, ok):
    d = _received(world)
    call = lambda: services.dossier_transition(dossier=d, action=wf.ASSIGN, actor=world["officer"],  # noqa: E731
                                               handling_unit_code=world["dept"].code, task="t" * length)
    if ok:
        assert call().steps.get().task == "t" * length
    else:
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.field == "task" and exc.value.code == "max_length"


@pytest.mark.parametrize(("count", "status"), [(100, 201), (101, 400), (5000, 400)])
def test_at_most_100_documents_are_received_in_one_intake(api_client, world, count, status):
    r = create(api_client, world, documents=[f"Giấy tờ {i}" for i in range(count)])
    assert r.status_code == status
    if status == 400:
        assert r.json()["field"].startswith("documents") and Dossier.objects.count() == 0


def test_the_service_refuses_101_documents_too(world):
    with pytest.raises(DomainError) as exc:
        services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                 applicant=applicant(), documents=[f"Giấy tờ {i}" for i in range(101)])
    assert exc.value.field == "documents" and exc.value.code == "too_many"


def test_an_apology_may_postpone_by_180_days_and_not_a_second_more(world):
    d = _received(world)
    d = services.dossier_transition(dossier=d, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=world["dept"].code,
                                    assignee="chuyenvien")
    limit = d.due_at + timedelta(days=services.MAX_APOLOGY_POSTPONE_DAYS)
    with pytest.raises(DomainError) as exc:
        services.dossier_transition(dossier=d, action=wf.APOLOGISE, actor=world["specialist"], reason="Chờ xác minh",
                                    new_due_at=(limit + timedelta(seconds=1)).isoformat())
    assert exc.value.field == "new_due_at" and exc.value.code == "too_far"
    with pytest.raises(DomainError):
        services.dossier_transition(dossier=d, action=wf.APOLOGISE, actor=world["specialist"], reason="Chờ xác minh",
                                    new_due_at="9999-12-31T00:00:00+07:00")
    d = services.dossier_transition(dossier=d, action=wf.APOLOGISE, actor=world["specialist"], reason="Chờ xác minh",
                                    new_due_at=limit.isoformat())
    assert d.promised_at == limit


# --------------------------------------------------------------------- public e-result download

def test_the_public_e_result_shows_the_holder_name_and_only_the_last_digits_of_the_id_number(client, world, tmp_path):
    import subprocess

    from django.urls import reverse


    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                 applicant=applicant(name="Trần Thị Bình", id_number="042187000123"))
    client.force_login(world["officer"])
    assert client.post(reverse("dossiers:action", args=[d.code, wf.COMPLETE]), {
        "version": d.version, "issue_electronic_result": "on", "result_title": "Phiếu lý lịch tư pháp"}).status_code == 302
    client.logout()
    download = client.get(reverse("dossiers:lookup_result"), {"code": d.code, "token": d.lookup_token})
    assert download.status_code == 200
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(download.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "042187000123" not in text and "********0123" in text
    assert "Trần Thị Bình" in text  # the holder's name stays: it is their result (docs/security_review.md)


@pytest.mark.parametrize(("number", "masked"), [("042187000123", "********0123"), ("0101234567", "******4567"),
                                                ("1234567", "*****67"), ("", "")])
def test_id_numbers_keep_only_their_last_digits(number, masked):
    from cchc.dossiers.selectors import mask_id_number

    assert mask_id_number(number) == masked
