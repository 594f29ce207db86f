"""The commune journey: where a procedure is offered (one selector), online filing at a commune with files
kept across a refused form and one dossier per form, files tied to the transaction, hand-over to the
commune specialist (permission matrix and pickers)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.accounts.models import Role, User
from cchc.catalog.models import ProvinceProcedure
from cchc.catalog.selectors import communes_offering, procedure_offered_at
from cchc.core.errors import DomainError, ForbiddenError
from cchc.dossiers import online, pickers, services, storage
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier, DossierDocument, IdempotencyRecord, PendingUpload
from cchc.units.models import Unit, UnitKind

from .factories import PDF_BYTES, applicant, make_checklist

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)


def media_files(folder: str = "") -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / folder
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def commune_world(world):
    """The factory province plus a second commune (ward) with its desk, commune staff and a checklist."""
    w = dict(world)
    w["commune_pp"] = ProvinceProcedure.objects.get(procedure=world["commune_procedure"])
    w["ward"] = Unit.objects.create(code="T99.P2", name="Phường Hai", kind=UnitKind.WARD, parent=world["province"])
    w["ward_desk"] = Unit.objects.create(code="T99.P2.MC", name="Bộ phận một cửa phường Hai", kind=UnitKind.ONE_STOP_DESK,
                                         parent=w["ward"], agency_id="H99.51.01")
    make = User.objects.create_user
    w["commune_specialist"] = make(username="chuyenvien.xa", password="x", role=Role.SPECIALIST, unit=world["commune"],
                                   full_name="Công chức Tư pháp - Hộ tịch xã Thử")
    w["commune_head"] = make(username="chutich.xa", password="x", role=Role.UNIT_HEAD, unit=world["commune"],
                             full_name="Chủ tịch UBND xã Thử")
    w["ward_specialist"] = make(username="chuyenvien.phuong", password="x", role=Role.SPECIALIST, unit=w["ward"])
    w["ward_desk_officer"] = make(username="motcua.phuong", password="x", role=Role.ONE_STOP_OFFICER, unit=w["ward_desk"])
    w["citizen"] = make(username="congdan", password="x", full_name="Hoàng Thị Dân", phone="0987654321")
    w["checklist"] = make_checklist(world["commune_procedure"], [
        {"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"},
    ])
    return w


def pdf(name="giay.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


# ------------------------------------------------------------------------------------------ one selector

def test_a_commune_level_procedure_is_offered_at_every_commune_and_commune_desk_of_the_province(commune_world):
    w = commune_world
    proc = w["commune_procedure"]
    for unit in (w["commune"], w["desk"], w["ward"], w["ward_desk"]):
        assert procedure_offered_at(unit=unit, procedure=proc, on_date=TODAY) == w["commune_pp"], unit.code
    # not at the provincial centre, the province itself, a department or another province
    for unit in (w["centre"], w["province"], w["dept"], w["other_centre"]):
        assert procedure_offered_at(unit=unit, procedure=proc, on_date=TODAY) is None, unit.code


def test_a_province_level_procedure_is_offered_at_the_centre_and_not_at_a_commune(commune_world):
    w = commune_world
    assert procedure_offered_at(unit=w["centre"], procedure=w["procedure"], on_date=TODAY) == w["pp"]
    assert procedure_offered_at(unit=w["ward_desk"], procedure=w["procedure"], on_date=TODAY) is None


def test_offered_at_respects_the_effective_dates_the_online_flag_and_a_named_desk(commune_world):
    w = commune_world
    pp = w["commune_pp"]
    pp.effective_to = TODAY
    pp.save()
    assert procedure_offered_at(unit=w["desk"], procedure=pp.procedure, on_date=TODAY) == pp  # last day in force
    assert procedure_offered_at(unit=w["desk"], procedure=pp.procedure, on_date=TODAY + timedelta(days=1)) is None
    pp.effective_to = None
    pp.online_level = "none"
    pp.save()
    assert procedure_offered_at(unit=w["desk"], procedure=pp.procedure, on_date=TODAY) == pp
    assert procedure_offered_at(unit=w["desk"], procedure=pp.procedure, on_date=TODAY, online=True) is None
    # a row naming one desk applies at that desk only
    pp.desk = w["ward_desk"]
    pp.save()
    assert procedure_offered_at(unit=w["ward_desk"], procedure=pp.procedure, on_date=TODAY) == pp
    assert procedure_offered_at(unit=w["desk"], procedure=pp.procedure, on_date=TODAY) is None


def test_intake_at_a_commune_desk_uses_the_same_rule_and_hands_the_dossier_to_that_commune(commune_world):
    w = commune_world
    d = services.dossier_receive(actor=w["ward_desk_officer"], procedure=w["commune_procedure"], unit=w["ward_desk"],
                                 applicant=applicant())
    # the factory row names the first commune as handling unit, but a commune dossier is settled where it was received
    assert d.unit == w["ward_desk"] and d.handling_unit == w["ward"]
    with pytest.raises(DomainError) as exc:
        services.dossier_receive(actor=w["officer"], procedure=w["commune_procedure"], unit=w["centre"], applicant=applicant())
    assert exc.value.code == "not_published"


def test_the_commune_picker_searches_by_folded_name(commune_world):
    w = commune_world
    assert [u.code for u in communes_offering(pp=w["commune_pp"], q="phuong hai")] == ["T99.P2"]
    assert {u.code for u in communes_offering(pp=w["commune_pp"])} == {"T99.X1", "T99.P2"}


# ------------------------------------------------------------------------------------------ portal

def login(client, user):
    client.force_login(user)
    return client


def form_data(w, token, **over):
    data = {"applicant_kind": "person", "applicant_name": "Hoàng Thị Dân", "applicant_phone": "0987654321",
            "applicant_id_number": "001199001234", "result_channel": "online", "confirm": "on", "form_token": token,
            "noi": w["ward"].code}
    data.update(over)
    return data


def test_the_portal_asks_for_the_commune_before_showing_the_form(client, commune_world):
    w = commune_world
    login(client, w["citizen"])
    url = reverse("dossiers:portal_file", args=[w["commune_pp"].pk])
    body = client.get(url).content.decode()
    assert "Chọn nơi nộp hồ sơ" in body and "Phường Hai" in body and "filing-form" not in body
    body = client.get(url, {"noi": w["ward"].code}).content.decode()
    assert 'id="filing-form"' in body and "Phường Hai" in body and 'name="form_token"' in body


def test_a_place_that_does_not_receive_the_procedure_is_refused_before_the_form(client, commune_world):
    w = commune_world
    login(client, w["citizen"])
    url = reverse("dossiers:portal_file", args=[w["commune_pp"].pk])
    response = client.get(url, {"noi": w["dept"].code})
    assert response.status_code == 400 and "filing-form" not in response.content.decode()
    w["commune_pp"].online_level = "none"
    w["commune_pp"].save()
    assert client.get(url, {"noi": w["ward"].code}).status_code == 404  # not offered online at all


def test_the_citizens_home_commune_is_the_default_place(client, commune_world):
    w = commune_world
    w["citizen"].home_unit = w["ward"]
    w["citizen"].save()
    login(client, w["citizen"])
    body = client.get(reverse("dossiers:portal_file", args=[w["commune_pp"].pk])).content.decode()
    assert 'id="filing-form"' in body and f'name="noi" value="{w["ward"].code}"' in body
    # "đổi nơi nộp" shows the picker again, with the home commune offered first
    body = client.get(reverse("dossiers:portal_place", args=[w["commune_pp"].pk])).content.decode()
    assert "nơi cư trú của bạn" in body


def test_the_portal_list_offers_filing_only_where_a_desk_receives_it(client, commune_world):
    w = commune_world
    Unit.objects.filter(pk=w["centre"].pk).update(is_active=False)  # no provincial centre: nobody receives it online
    body = client.get(reverse("dossiers:portal")).content.decode()
    row_province = body.split("1.000001", 1)[1].split("</tr>", 1)[0]
    row_commune = body.split("1.001193", 1)[1].split("</tr>", 1)[0]
    assert "Chưa nhận trực tuyến" in row_province and "Nộp hồ sơ" not in row_province
    assert "Nộp hồ sơ" in row_commune and "bạn chọn" in row_commune


def test_a_refused_form_keeps_what_was_typed_and_uploaded(client, commune_world):
    w = commune_world
    login(client, w["citizen"])
    url = reverse("dossiers:portal_file", args=[w["commune_pp"].pk])
    token = online.new_form_token()
    first, second = w["checklist"]
    response = client.post(url, form_data(w, token, applicant_phone="12", **{
        f"file_{first.pk}": pdf("to-khai.pdf"), f"file_{second.pk}": pdf("chung-sinh.pdf")}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "điện thoại" in body and 'value="Hoàng Thị Dân"' in body and 'value="12"' in body
    assert "to-khai.pdf" in body and "chung-sinh.pdf" in body and token in body
    assert PendingUpload.objects.filter(form_token=token).count() == 2 and not Dossier.objects.exists()
    # corrected and sent again without choosing the files again
    response = client.post(url, form_data(w, token))
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.unit == w["ward_desk"] and d.handling_unit == w["ward"] and d.status == wf.WAITING_ACCEPTANCE
    docs = list(d.documents.order_by("id"))
    assert [doc.original_name for doc in docs] == ["to-khai.pdf", "chung-sinh.pdf"]
    assert [doc.required_document_id for doc in docs] == [first.pk, second.pk]
    assert all(storage.exists(doc.file_path) for doc in docs)
    assert not PendingUpload.objects.exists()


def test_a_mandatory_line_without_a_kept_file_is_refused_and_the_other_file_is_kept(client, commune_world):
    w = commune_world
    login(client, w["citizen"])
    token = online.new_form_token()
    response = client.post(reverse("dossiers:portal_file", args=[w["commune_pp"].pk]),
                           form_data(w, token, **{f"file_{w['checklist'][0].pk}": pdf()}))
    assert response.status_code == 400 and "Giấy chứng sinh" in response.content.decode()
    assert PendingUpload.objects.filter(form_token=token).count() == 1 and not Dossier.objects.exists()


def test_double_submit_of_one_form_files_one_dossier(client, commune_world, django_capture_on_commit_callbacks):
    w = commune_world
    login(client, w["citizen"])
    url = reverse("dossiers:portal_file", args=[w["commune_pp"].pk])
    token = online.new_form_token()
    files = lambda: {f"file_{r.pk}": pdf(f"{r.pk}.pdf") for r in w["checklist"]}  # noqa: E731
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, form_data(w, token, **files()))
        second = client.post(url, form_data(w, token, **files()))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    d = Dossier.objects.get()
    assert d.documents.count() == 2
    assert IdempotencyRecord.objects.filter(scope=online.SCOPE, key=token, dossier=d).count() == 1
    # the twin's files were not kept: only the dossier's two files remain in storage
    assert not PendingUpload.objects.exists()
    assert len(media_files()) == 2
    # a new form (new token) is a new dossier
    assert client.post(url, form_data(w, online.new_form_token(), **files())).status_code == 302
    assert Dossier.objects.count() == 2


def test_the_form_token_belongs_to_its_user(commune_world):
    w = commune_world
    token = online.new_form_token()
    unit, _ = online.filing_place(pp=w["commune_pp"], chosen=w["ward"].code)
    other = User.objects.create_user(username="khac", password="x")
    for r in w["checklist"]:
        online.pending_upload_store(user=other, form_token=token, slot=f"req:{r.pk}", name=r.name, uploaded_file=pdf(),
                                    required_document_id=r.pk)
    with pytest.raises(DomainError) as exc:  # another user's kept files do not count for this citizen
        online.online_filing_submit(user=w["citizen"], pp=w["commune_pp"], unit=unit, applicant=applicant(),
                                    result_channel="online", form_token=token, checklist=w["checklist"])
    assert exc.value.code == "missing_documents"


def test_a_bad_form_token_is_refused(commune_world):
    with pytest.raises(DomainError) as exc:
        online.clean_form_token("../../etc")
    assert exc.value.field == "form_token"


# ------------------------------------------------------------------------------------------ files and the transaction

def test_a_failing_intake_leaves_no_file_behind(commune_world, monkeypatch):
    """The dossier is written, the file stored, then the audit write fails: everything rolls back, the file too."""
    w = commune_world
    d = services.dossier_receive(actor=w["desk_officer"], procedure=w["commune_procedure"], unit=w["desk"], applicant=applicant())

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.dossier_attach_document(dossier=d, actor=w["desk_officer"], uploaded_file=pdf())
    assert media_files() == [] and not DossierDocument.objects.exists()


def test_a_file_written_in_an_inner_block_is_deleted_when_the_outer_use_case_fails(commune_world):
    w = commune_world
    d = services.dossier_receive(actor=w["desk_officer"], procedure=w["commune_procedure"], unit=w["desk"], applicant=applicant())
    with pytest.raises(DomainError):
        with storage.files_atomic():
            services.dossier_attach_document(dossier=d, actor=w["desk_officer"], uploaded_file=pdf())
            assert len(media_files("dossiers")) == 1
            raise DomainError("later step refused")
    assert media_files() == [] and not DossierDocument.objects.exists()


def test_a_failing_online_filing_keeps_the_citizens_files_for_the_retry(commune_world, monkeypatch):
    w = commune_world
    token = online.new_form_token()
    for r in w["checklist"]:
        online.pending_upload_store(user=w["citizen"], form_token=token, slot=f"req:{r.pk}", name=r.name,
                                    uploaded_file=pdf(), required_document_id=r.pk)
    unit, _ = online.filing_place(pp=w["commune_pp"], chosen=w["ward"].code)
    calls = {"n": 0}
    real = services.document_record

    def fail_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise DomainError("file: disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "document_record", fail_second)
    with pytest.raises(DomainError):
        online.online_filing_submit(user=w["citizen"], pp=w["commune_pp"], unit=unit, applicant=applicant(),
                                    result_channel="online", form_token=token, checklist=w["checklist"])
    assert not Dossier.objects.exists() and not IdempotencyRecord.objects.exists()
    kept = PendingUpload.objects.filter(form_token=token)
    assert kept.count() == 2 and all(storage.exists(p.file_path) for p in kept)


def test_orphan_files_older_than_the_grace_period_are_purged(commune_world):
    from django.utils import timezone

    orphan = storage.save_bytes(PDF_BYTES, folder="dossiers", ext="pdf")
    young = storage.save_bytes(PDF_BYTES, folder="dossiers", ext="pdf")
    w = commune_world
    d = services.dossier_receive(actor=w["desk_officer"], procedure=w["commune_procedure"], unit=w["desk"], applicant=applicant())
    doc = services.dossier_attach_document(dossier=d, actor=w["desk_officer"], uploaded_file=pdf())
    later = timezone.now() + timedelta(hours=7)
    import os
    os.utime(Path(settings.MEDIA_ROOT) / young.name, (later.timestamp() - 60, later.timestamp() - 60))
    assert storage.orphan_files_purge(now=later) == [orphan.name]
    assert storage.exists(doc.file_path) and storage.exists(young.name) and not storage.exists(orphan.name)


# ------------------------------------------------------------------------------------------ hand-over

@pytest.fixture
def commune_dossier(commune_world):
    w = commune_world
    d = services.dossier_receive(actor=w["desk_officer"], procedure=w["commune_procedure"], unit=w["desk"], applicant=applicant())
    # as in the demo data and older rows: no handling unit stored on the dossier
    Dossier.objects.filter(pk=d.pk).update(handling_unit=None)
    d.refresh_from_db()
    return d


def test_desk_officer_hands_the_dossier_to_the_commune_specialist_without_choosing_a_unit(commune_world, commune_dossier):
    w = commune_world
    d = services.dossier_assign(dossier=commune_dossier, actor=w["desk_officer"], assignee="chuyenvien.xa")
    assert d.handling_unit == w["commune"] and d.assignee == w["commune_specialist"]
    # the specialist can now work on it, and so can the desk that received it
    d = services.dossier_handover(dossier=d, actor=w["commune_specialist"], assignee="chutich.xa", version=d.version)
    assert d.assignee == w["commune_head"]


@pytest.mark.parametrize(("actor", "unit", "assignee", "expected"), [
    ("desk_officer", "", "chuyenvien.xa", "ok"),                 # commune desk → own commune's specialist
    ("desk_officer", "T99.X1", "chuyenvien.xa", "ok"),
    ("desk_officer", "T99.X1", "chuyenvien.phuong", "assignee_not_in_unit"),  # other commune's specialist, this unit
    ("desk_officer", "T99.P2", "chuyenvien.phuong", "ok"),       # transferred to the other commune
    ("desk_officer", "T99.X1", "chuyenvien", "assignee_not_in_unit"),  # a department specialist at the commune
    ("officer", "", "chuyenvien.xa", "forbidden"),              # provincial centre officer: not their dossier
    ("ward_desk_officer", "", "chuyenvien.xa", "forbidden"),     # another commune's desk
    ("commune_specialist", "", "chutich.xa", "ok"),              # the commune's specialist (its commune handles it)
    ("commune_head", "", "chuyenvien.xa", "ok"),                 # the commune's head (desk and commune below it)
    ("specialist", "", "chuyenvien.xa", "forbidden"),            # a department specialist
])
def test_handover_permission_matrix(commune_world, commune_dossier, actor, unit, assignee, expected):
    w = commune_world
    kwargs = {"handling_unit_code": unit} if unit else {}
    if expected == "ok":
        d = services.dossier_assign(dossier=commune_dossier, actor=w[actor], assignee=assignee, **kwargs)
        assert d.assignee.username == assignee
    else:
        with pytest.raises(DomainError) as exc:
            services.dossier_assign(dossier=commune_dossier, actor=w[actor], assignee=assignee, **kwargs)
        assert exc.value.code == expected
        if expected == "forbidden":
            assert isinstance(exc.value, ForbiddenError)


def test_the_pickers_offer_the_commune_first_and_its_officers_only(commune_world, commune_dossier):
    w = commune_world
    preferred = pickers.preferred_units(commune_dossier)
    assert preferred[0] == w["commune"] and w["desk"] in preferred and w["dept"] not in preferred
    names = [u.username for u in pickers.officers_for_unit(unit=w["commune"]).object_list]
    assert set(names) == {"chuyenvien.xa", "chutich.xa", "chutich.xathu"}  # chutich.xathu: the shared factories' commune head
    desk_officers = {u.username for u in pickers.officers_for_unit(unit=w["desk"]).object_list}
    assert desk_officers == {"motcua.xa", "chutich.xa", "chutich.xathu"}  # the commune heads may process at its desk too
    found = [u.code for u in pickers.unit_search(dossier=commune_dossier, q="phuong hai").object_list]
    assert "T99.P2" in found and "T99.STP" not in found


def test_the_officer_picker_pages_and_narrows_instead_of_cutting(client, commune_world, commune_dossier):
    w = commune_world
    for i in range(25):
        User.objects.create_user(username=f"cv{i:02d}", password="x", role=Role.SPECIALIST, unit=w["commune"],
                                 full_name=f"Cán bộ {i:02d}")
    page = pickers.officers_for_unit(unit=w["commune"])
    assert page.paginator.count == 28 and len(page.object_list) == pickers.PAGE_SIZE
    assert [u.username for u in pickers.officers_for_unit(unit=w["commune"], q="cv07").object_list] == ["cv07"]
    login(client, w["desk_officer"])
    body = client.get(reverse("dossiers:handover_picker", args=[commune_dossier.code]),
                      {"action": "handover", "handling_unit_code": w["commune"].code}).content.decode()
    assert "28 cán bộ" in body and "gõ tên để thu hẹp" in body
    body = client.get(reverse("dossiers:handover_picker", args=[commune_dossier.code]),
                      {"action": "handover", "handling_unit_code": w["ward"].code, "unit_q": "phuong"}).content.decode()
    assert "chuyenvien.phuong" in body and "chuyenvien.xa" not in body


def test_the_detail_page_hands_over_to_the_commune_specialist(client, commune_world, commune_dossier):
    w = commune_world
    login(client, w["desk_officer"])
    body = client.get(reverse("dossiers:detail", args=[commune_dossier.code])).content.decode()
    assert "chuyenvien.xa" in body and "chuyenvien.phuong" not in body and "chuyenvien</option>" not in body
    response = client.post(reverse("dossiers:action", args=[commune_dossier.code, "assign"]), {
        "version": commune_dossier.version, "handling_unit_code": w["commune"].code, "assignee": "chuyenvien.xa",
    })
    assert response.status_code == 302
    commune_dossier.refresh_from_db()
    assert commune_dossier.assignee == w["commune_specialist"] and commune_dossier.handling_unit == w["commune"]


def test_fee_and_amount_unchanged_by_the_place(commune_world):
    """The place changes where the dossier is received, not the publication it applies (fee, time)."""
    w = commune_world
    w["commune_pp"].fee_amount = Decimal("8000")
    w["commune_pp"].save()
    unit, commune = online.filing_place(pp=w["commune_pp"], chosen=w["ward"])
    assert unit == w["ward_desk"] and commune == w["ward"]
    d, replayed = None, None
    token = online.new_form_token()
    for r in w["checklist"]:
        online.pending_upload_store(user=w["citizen"], form_token=token, slot=f"req:{r.pk}", name=r.name,
                                    uploaded_file=pdf(), required_document_id=r.pk)
    d, replayed = online.online_filing_submit(user=w["citizen"], pp=w["commune_pp"], unit=unit, applicant=applicant(),
                                              result_channel="online", form_token=token, checklist=w["checklist"])
    assert not replayed and d.fee_amount == Decimal("8000") and d.province_procedure == w["commune_pp"]


def _picker(client, dossier, **params):
    response = client.get(reverse("dossiers:handover_picker", args=[dossier.code]), {"action": "handover", **params})
    assert response.status_code == 200
    return response.content.decode()


def test_a_redraw_keeps_the_chosen_officer_while_they_qualify_at_the_chosen_unit(client, commune_world, commune_dossier):
    w = commune_world
    login(client, w["desk_officer"])
    selected = '<option value="chuyenvien.xa" selected>'
    # the same unit, a redraw for a search text: still chosen
    assert selected in _picker(client, commune_dossier, handling_unit_code=w["commune"].code, assignee="chuyenvien.xa")
    # a search that no longer lists them: still chosen, shown under "Đã chọn", and the only selected option
    body = _picker(client, commune_dossier, handling_unit_code=w["commune"].code, assignee="chuyenvien.xa",
                   officer_q="chutich")
    assert 'optgroup label="Đã chọn"><option value="chuyenvien.xa" selected>' in body
    assert body.count(" selected>") == 2  # the unit and the officer
    # another unit where they cannot process: dropped, and the page says so
    body = _picker(client, commune_dossier, handling_unit_code=w["ward"].code, assignee="chuyenvien.xa")
    assert "chuyenvien.xa" not in body.split('id="officer-dropped-handover"')[0]
    assert "Cán bộ đã chọn (chuyenvien.xa) không xử lý hồ sơ tại Phường Hai" in body
    # unknown or empty: nothing chosen, no note
    for assignee in ("", "khong-co-ai"):
        body = _picker(client, commune_dossier, handling_unit_code=w["commune"].code, assignee=assignee)
        assert '<option value="">— chưa giao cho người cụ thể —</option>' in body
        assert ("officer-dropped" in body) == bool(assignee)


def test_the_picker_serialises_its_redraws(client, commune_world, commune_dossier):
    """hx-sync on the unit select and both search boxes: a newer redraw replaces the one in flight."""
    w = commune_world
    login(client, w["desk_officer"])
    body = _picker(client, commune_dossier, handling_unit_code=w["commune"].code)
    assert body.count('hx-sync="closest .handover-picker:replace"') == 3
    detail = client.get(reverse("dossiers:detail", args=[commune_dossier.code])).content.decode()
    assert "dossiers/picker.js" in detail


def test_eligible_officer_follows_the_list_rule(commune_world):
    w = commune_world
    assert pickers.eligible_officer(unit=w["commune"], username="chuyenvien.xa") == w["commune_specialist"]
    assert pickers.eligible_officer(unit=w["desk"], username="chutich.xa") == w["commune_head"]  # head above the desk
    assert pickers.eligible_officer(unit=w["ward"], username="chuyenvien.xa") is None
    assert pickers.eligible_officer(unit=w["commune"], username="") is None
    User.objects.filter(username="chuyenvien.xa").update(is_active=False)
    assert pickers.eligible_officer(unit=w["commune"], username="chuyenvien.xa") is None


def test_a_home_commune_set_on_the_account_page_is_the_default_place(client, commune_world):
    w = commune_world
    login(client, w["citizen"])
    url = reverse("dossiers:portal_file", args=[w["commune_pp"].pk])
    body = client.get(url).content.decode()
    assert 'id="set-home-unit"' in body and "filing-form" not in body  # no home yet: the picker invites to set one
    response = client.post(reverse("units:home_unit"), {"home_unit": w["ward"].code, "next": url})
    assert response.status_code == 302 and response["Location"] == url
    body = client.get(url).content.decode()
    assert 'id="filing-form"' in body and f'name="noi" value="{w["ward"].code}"' in body


def test_the_officer_search_ignores_diacritics_and_case(commune_world):
    w = commune_world
    User.objects.filter(pk=w["commune_specialist"].pk).update(full_name="Trần Văn Hộ Tịch")
    for q in ("ho tich", "HỘ TỊCH", "tich ho", "chuyenvien.x", "Trần"):
        names = [u.username for u in pickers.officers_for_unit(unit=w["commune"], q=q).object_list]
        assert names == ["chuyenvien.xa"], q
    assert pickers.officers_for_unit(unit=w["commune"], q="ho tich xyz").paginator.count == 0
