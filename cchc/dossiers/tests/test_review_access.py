"""Security review: every page that takes a dossier code or a file id checks the caller's scope or ownership."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.dossiers import results, services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import DossierDocument

from .factories import PDF_BYTES, applicant

pytestmark = pytest.mark.django_db


@pytest.fixture
def settled(world):
    """A dossier of the province centre with an uploaded document and a signed electronic result."""
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    doc = services.dossier_attach_document(dossier=d, actor=world["officer"], uploaded_file=SimpleUploadedFile("to-khai.pdf", PDF_BYTES))
    d = services.dossier_transition(dossier=d, action=wf.COMPLETE, actor=world["officer"])
    result = results.electronic_result_issue(dossier=d, actor=world["officer"], source_pdf=None, title="Kết quả", number="1",
                                             summary="", lookup_url="http://testserver/tra-cuu-ho-so/")
    return {"d": d, "doc": doc, "result": result}


def staff_urls(d, doc, result) -> list[str]:
    return [
        reverse("dossiers:detail", args=[d.code]),
        reverse("dossiers:receipt", args=[d.code]),
        reverse("dossiers:pdf", args=[d.code, "giay-tiep-nhan"]),
        reverse("dossiers:pdf", args=[d.code, "kiem-soat"]),
        reverse("dossiers:document", args=[d.code, doc.pk]),
        reverse("dossiers:result_download", args=[d.code, result.pk]),
        f"/api/v1/dossiers/{d.code}/",
    ]


def test_staff_of_the_dossiers_unit_can_open_its_pages_and_files(client, world, settled):
    client.force_login(world["officer"])
    for url in staff_urls(settled["d"], settled["doc"], settled["result"]):
        assert client.get(url).status_code == 200, url


def test_staff_of_another_province_get_404_for_every_dossier_page_and_file(client, world, settled):
    client.force_login(world["other_officer"])
    for url in staff_urls(settled["d"], settled["doc"], settled["result"]):
        assert client.get(url).status_code == 404, url
    before = AuditEvent.objects.count()
    response = client.post(reverse("dossiers:action", args=[settled["d"].code, wf.RETURN]), {"version": settled["d"].version})
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_file_id_of_another_dossier_is_not_served_through_a_dossier_in_scope(client, world, settled):
    mine = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    client.force_login(world["officer"])
    assert client.get(reverse("dossiers:document", args=[mine.code, settled["doc"].pk])).status_code == 404
    assert client.get(reverse("dossiers:result_download", args=[mine.code, settled["result"].pk])).status_code == 404


def test_citizens_get_the_staff_pages_refused_and_only_their_own_dossiers_in_the_portal(client, world, settled):
    from cchc.accounts.models import User

    citizen = User.objects.create_user(username="congdan.review", password="matkhau123")
    client.force_login(citizen)
    for url in staff_urls(settled["d"], settled["doc"], settled["result"])[:-1]:
        assert client.get(url).status_code == 403, url
    assert client.get(f"/api/v1/dossiers/{settled['d'].code}/").status_code == 404
    assert client.get(reverse("dossiers:portal_dossier", args=[settled["d"].code])).status_code == 404
    assert client.get(reverse("dossiers:portal_result", args=[settled["d"].code])).status_code == 404
    assert client.get(reverse("dossiers:portal_receipt", args=[settled["d"].code])).status_code == 404


def unmasked(response) -> str:
    """The page without its per-response CSRF token (the only part that differs between two renders)."""
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())


def test_the_public_result_download_answers_a_wrong_token_exactly_like_an_unknown_code(client, settled):
    d = settled["d"]
    wrong = client.get(reverse("dossiers:lookup_result"), {"code": d.code, "token": "SAITOKEN99"})
    unknown = client.get(reverse("dossiers:lookup_result"), {"code": "KHONG-CO-HO-SO", "token": d.lookup_token})
    assert wrong.status_code == unknown.status_code == 404
    assert unmasked(wrong) == unmasked(unknown)
    api_wrong = client.get(f"/api/v1/public/dossiers/{d.code}/", {"token": "SAITOKEN99"})
    api_unknown = client.get("/api/v1/public/dossiers/KHONG-CO-HO-SO/", {"token": d.lookup_token})
    assert api_wrong.status_code == api_unknown.status_code == 404
    assert api_wrong.json() == api_unknown.json()


def test_staff_and_applicant_uploads_are_stored_by_one_code_path(world, settled, tmp_path):
    from django.conf import settings as dj_settings

    doc = settled["doc"]
    assert doc.sha256 and doc.size == len(PDF_BYTES)
    assert (dj_settings.MEDIA_ROOT / doc.file_path).read_bytes() == PDF_BYTES
    event = AuditEvent.objects.filter(action="dossier.attach").latest("id")
    assert event.data["document"] == doc.pk and event.data["kind"] == DossierDocument.KIND_INPUT


def test_the_signature_check_page_is_rate_limited_per_client(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public_lookup": "2/min"}}
    codes = [client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile("x.pdf", PDF_BYTES)}).status_code for _ in range(3)]
    assert codes[:2] == [200, 200] and codes[2] == 429
