"""Thành phần hồ sơ versioned in the catalogue: received documents keep the rows they were received against."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import ProtectedError

from cchc.catalog.models import Checklist, ChecklistItem
from cchc.catalog.selectors import checklist_in_force, procedure_checklist
from cchc.catalog.services import checklist_save
from cchc.core.errors import ConflictError, DomainError, ForbiddenError
from cchc.core.models import AuditEvent
from cchc.dossiers import documents, services

from .factories import applicant, make_checklist

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

V1 = [
    {"name": "Tờ khai yêu cầu cấp phiếu lý lịch tư pháp", "form_name": "Mẫu số 03/2013/TT-LLTP"},
    {"name": "Bản chụp giấy tờ tùy thân", "original_copies": 0, "photocopies": 1},
    {"name": "Văn bản ủy quyền", "mandatory": False},
]


def receive(world, names, **over):
    return services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                    applicant=applicant(), documents=names, **over)


def test_editing_a_checklist_after_receipt_leaves_the_dossier_on_its_old_rows(world):
    v1_rows = make_checklist(world["procedure"], V1)
    d = receive(world, [V1[0]["name"], "bản chụp giấy tờ tùy thân", "Giấy xác nhận cư trú"])
    v1 = checklist_in_force(procedure=world["procedure"])
    assert d.checklist_id == v1.pk and d.missing_documents == []
    linked = dict(d.documents.values_list("name", "required_document_id"))
    assert linked == {V1[0]["name"]: v1_rows[0].pk, "bản chụp giấy tờ tùy thân": v1_rows[1].pk, "Giấy xác nhận cư trú": None}

    # the PAR office renames a line and adds one: a new version, the old rows untouched
    v2 = checklist_save(procedure_code=world["procedure"].code, actor=world["admin"], effective_from=date(2021, 1, 1), items=[
        {"name": "Tờ khai (mẫu mới)"}, {"name": "Bản chụp giấy tờ tùy thân", "original_copies": 0, "photocopies": 1},
        {"name": "Phiếu lý lịch cũ"},
    ])
    assert v2.version == 2 and v2.pk != v1.pk
    assert ChecklistItem.objects.filter(checklist=v1).count() == 3
    assert dict(d.documents.values_list("name", "required_document_id")) == linked
    d.refresh_from_db()
    assert d.checklist_id == v1.pk

    # a dossier received now is received against version 2
    d2 = receive(world, ["Tờ khai (mẫu mới)"])
    assert d2.checklist_id == v2.pk
    assert d2.missing_documents == ["Bản chụp giấy tờ tùy thân", "Phiếu lý lịch cũ"]

    # the receipt of the first dossier still prints what it was received with, with its copies
    ctx = documents.dossier_form_context(d, "receipt")
    assert [(x["name"], x["copy_type"]) for x in ctx["dossier"]["documents"]] == [
        (V1[0]["name"], "Bản chính"), ("bản chụp giấy tờ tùy thân", "Bản sao"), ("Giấy xác nhận cư trú", "")]


def test_rows_a_dossier_was_received_against_cannot_be_changed_or_deleted(world):
    rows = make_checklist(world["procedure"], V1)
    receive(world, [V1[0]["name"]])
    row = ChecklistItem.objects.get(pk=rows[0].pk)
    row.name = "Sửa tại chỗ"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ProtectedError):
        ChecklistItem.objects.filter(pk=rows[0].pk).delete()
    with pytest.raises(ProtectedError):
        Checklist.objects.filter(procedure=world["procedure"]).delete()


def test_the_version_in_force_follows_effective_dates_at_the_boundary(world):
    code = world["procedure"].code
    checklist_save(procedure_code=code, items=[{"name": "A"}], actor=None, effective_from=date(2026, 3, 1))
    checklist_save(procedure_code=code, items=[{"name": "B"}], actor=None, effective_from=date(2026, 4, 1))
    assert checklist_in_force(procedure=code, on_date=date(2026, 2, 28)) is None
    assert checklist_in_force(procedure=code, on_date=date(2026, 3, 1)).version == 1
    assert checklist_in_force(procedure=code, on_date=date(2026, 3, 31)).version == 1
    assert checklist_in_force(procedure=code, on_date=date(2026, 4, 1)).version == 2
    # a paper dossier entered later is received against the version in force on its receipt date
    d = receive(world, ["A"], received_at=datetime(2026, 3, 31, 10, 0, tzinfo=TZ))
    assert d.checklist.version == 1 and d.missing_documents == []
    # history is only appended: a version may not start before the newest one
    with pytest.raises(ConflictError) as exc:
        checklist_save(procedure_code=code, items=[{"name": "C"}], actor=None, effective_from=date(2026, 3, 31))
    assert exc.value.field == "effective_from"
    same_day = checklist_save(procedure_code=code, items=[{"name": "C"}], actor=None, effective_from=date(2026, 4, 1))
    assert same_day.version == 3
    assert checklist_in_force(procedure=code, on_date=date(2026, 4, 1)).version == 3


def test_saving_the_same_lines_again_writes_nothing(world):
    code = world["procedure"].code
    first = checklist_save(procedure_code=code, items=V1, actor=world["admin"], effective_from=date(2026, 1, 1))
    again = checklist_save(procedure_code=code, items=V1, actor=world["admin"], effective_from=date(2026, 1, 1))
    assert again.pk == first.pk
    assert Checklist.objects.filter(procedure__code=code).count() == 1
    assert AuditEvent.objects.filter(action="catalog.checklist_save").count() == 1


@pytest.mark.parametrize(("items", "field"), [
    ([{"name": ""}], "items[0].name"),
    ([{"name": "x" * 501}], "items[0].name"),
    ([{"name": "A"}, {"name": " a "}], "items[1].name"),
    ([{"name": "A", "original_copies": 21}], "items[0].original_copies"),
    ([{"name": "A", "photocopies": -1}], "items[0].photocopies"),
    ([{"name": "A", "original_copies": True}], "items[0].original_copies"),
    ([{"name": "A", "kind": "mail"}], "items[0].kind"),
    ([{"name": "A", "mandatory": "yes"}], "items[0].mandatory"),
    ([{"name": "A", "form_name": "m" * 256}], "items[0].form_name"),
    ([{"name": f"Giấy {i}"} for i in range(61)], "items"),
    ("not a list", "items"),
])
def test_bad_lines_name_the_field_and_write_nothing(world, items, field):
    with pytest.raises(DomainError) as exc:
        checklist_save(procedure_code=world["procedure"].code, items=items, actor=world["admin"])
    assert exc.value.field == field
    assert not Checklist.objects.exists()


def test_boundaries_that_are_allowed(world):
    lines = [{"name": f"Giấy {i}", "original_copies": 20 if i == 0 else 0, "photocopies": 20 if i == 1 else 0}
             for i in range(60)]
    lines[2]["name"] = "x" * 500
    version = checklist_save(procedure_code=world["procedure"].code, items=lines, actor=world["admin"])
    assert version.items.count() == 60


def test_only_the_par_office_or_an_admin_edits_a_checklist(world):
    from cchc.accounts.models import Role, User

    par = User.objects.create_user(username="noivu", password="x", role=Role.PAR_OFFICE, unit=world["province"])
    for actor in (world["officer"], world["specialist"], world["leader"]):
        with pytest.raises(ForbiddenError):
            checklist_save(procedure_code=world["procedure"].code, items=V1, actor=actor)
    assert checklist_save(procedure_code=world["procedure"].code, items=V1, actor=par).version == 1
    version, rows = procedure_checklist(procedure=world["procedure"])
    assert version.created_by == par and [r.name for r in rows] == [i["name"] for i in V1]


def test_an_online_upload_named_like_a_line_is_linked_to_it(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF_BYTES

    rows = make_checklist(world["procedure"], V1)
    d = services.dossier_submit_online(applicant_user=None, procedure=world["procedure"], unit=world["centre"],
                                       applicant=applicant(), documents=[])
    assert d.checklist.version == 1
    doc = services.document_store(dossier=d, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES), ext="pdf",
                                  content_type="application/pdf", name=V1[1]["name"], kind="input", user=None,
                                  audit_data={})
    assert doc.required_document_id == rows[1].pk


@pytest.mark.parametrize(("fee_text", "pp_fee", "printed"), [
    ("Miễn phí", 0, "Miễn phí, lệ phí"),
    ("", 0, "Theo quy định (xem thông tin thủ tục)"),
    ("50 VNĐ", 0, "Theo quy định (xem thông tin thủ tục)"),
    ("8,000 VNĐ", 8000, "8.000 đồng"),
])
def test_the_receipt_prints_exempt_a_real_fee_or_by_regulation(world, fee_text, pp_fee, printed):
    proc = world["commune_procedure"]
    proc.fee_text = fee_text
    proc.save()
    proc.publications.update(fee_amount=pp_fee)
    make_checklist(proc, [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"},
                          {"name": "Giấy tờ tùy thân", "kind": "present"}])
    d = services.dossier_receive(actor=world["desk_officer"], procedure=proc, unit=world["desk"], applicant=applicant(),
                                 documents=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy tờ tùy thân"])
    html = documents.render_html("receipt", documents.dossier_form_context(d, "receipt"))
    assert f"7. Phí, lệ phí: {printed}</p>" in html
    assert "Giấy chứng sinh" in html and "Bản chính (xuất trình)" in html
    assert "Không có giấy tờ kèm theo" not in html


def test_a_legacy_dossier_with_a_fee_of_50_dong_is_never_printed_as_50_dong(world):
    d = receive(world, [])
    Dossier = type(d)
    Dossier.objects.filter(pk=d.pk).update(fee_amount=50)
    d.refresh_from_db()
    html = documents.render_html("receipt", documents.dossier_form_context(d, "receipt"))
    assert "7. Phí, lệ phí: Theo quy định (xem thông tin thủ tục)</p>" in html
