"""Migration dossiers 0003–0005 from the schema of main before the move: rows and links are preserved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("dossiers", "0002_vietnamese_labels"), ("catalog", "0006_vietnamese_labels")]
AFTER = [("dossiers", "0005_checklist_cleanup"), ("catalog", "0007_checklist_versions")]


@pytest.mark.django_db(transaction=True)
def test_required_documents_become_checklist_version_1_and_links_survive():
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    reachable = {n for target in BEFORE for n in graph.forwards_plan(target)}

    def needs_later(leaf) -> bool:
        """An app whose migrations need a dossiers/catalog migration after BEFORE (a higher app built on the
        newer schema) is taken to zero for the test, else the plan would mix backwards and forwards steps."""
        return any(n[0] in ("dossiers", "catalog") and n not in reachable for n in graph.forwards_plan(leaf))

    others = [n if not needs_later(n) else (n[0], None)
              for n in graph.leaf_nodes() if n[0] not in ("dossiers", "catalog")]
    before, after = BEFORE + others, AFTER + others
    executor.migrate(before)
    apps = executor.loader.project_state([n for n in before if n[1]]).apps
    Unit = apps.get_model("units", "Unit")
    Procedure = apps.get_model("catalog", "Procedure")
    ProvinceProcedure = apps.get_model("catalog", "ProvinceProcedure")
    RequiredDocument = apps.get_model("dossiers", "RequiredDocument")
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierDocument = apps.get_model("dossiers", "DossierDocument")
    try:
        province = Unit.objects.create(code="M99", name="Tỉnh M", kind="province")
        proc = Procedure.objects.create(code="1.000001", name="Cấp phiếu lý lịch tư pháp", name_folded="cap phieu")
        other = Procedure.objects.create(code="1.000002", name="Không có danh sách", name_folded="khong")
        pp = ProvinceProcedure.objects.create(province=province, procedure=proc, level="province", time_value=3,
                                              effective_from=dt.date(2020, 1, 1))
        r1 = RequiredDocument.objects.create(procedure=proc, name="Tờ khai", order=1)
        r2 = RequiredDocument.objects.create(procedure=proc, name="Bản sao CCCD", order=2, original_copies=0, photocopies=1,
                                             mandatory=False)
        common = dict(procedure=proc, province_procedure=pp, unit=province, province=province, channel="counter",
                      applicant_name="A", status="received", lookup_token="T")
        with_docs = Dossier.objects.create(code="D1", **common)
        without = Dossier.objects.create(code="D2", **common)
        d1 = DossierDocument.objects.create(dossier=with_docs, required_document=r1, name="Tờ khai")
        d2 = DossierDocument.objects.create(dossier=with_docs, required_document=r2, name="Bản sao CCCD")
        d3 = DossierDocument.objects.create(dossier=with_docs, required_document=None, name="Giấy khác")

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        apps = executor.loader.project_state([n for n in after if n[1]]).apps
        Checklist = apps.get_model("catalog", "Checklist")
        ChecklistItem = apps.get_model("catalog", "ChecklistItem")
        Dossier = apps.get_model("dossiers", "Dossier")
        DossierDocument = apps.get_model("dossiers", "DossierDocument")
        checklist = Checklist.objects.get(procedure_id=proc.pk)
        assert checklist.version == 1 and not Checklist.objects.filter(procedure_id=other.pk).exists()
        items = list(ChecklistItem.objects.filter(checklist=checklist).order_by("order"))
        assert [(i.name, i.original_copies, i.photocopies, i.mandatory, i.order) for i in items] == [
            ("Tờ khai", 1, 0, True, 1), ("Bản sao CCCD", 0, 1, False, 2)]
        docs = {d.pk: d.required_document_id for d in DossierDocument.objects.all()}
        assert docs == {d1.pk: items[0].pk, d2.pk: items[1].pk, d3.pk: None}
        assert Dossier.objects.get(code="D1").checklist_id == checklist.pk
        assert Dossier.objects.get(code="D2").checklist_id is None
        assert without.pk
    finally:
        call_command("flush", verbosity=0, interactive=False)
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
