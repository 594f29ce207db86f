"""Step 2 of 3: copy every dossiers.RequiredDocument row into a catalog checklist version 1.

One Checklist (version 1) per procedure that has rows, one ChecklistItem per row (same name, copies,
mandatory flag and order); every received document linked to an old row is linked to its copy, and a
dossier with at least one such document records that version as the checklist it was received against.
Dossiers without a linked document keep an empty checklist (received before versioning; unknown).
Works on SQLite and PostgreSQL (plain ORM, no raw SQL, ids never reused).
"""

import datetime as dt

from django.db import migrations

SOURCE = "Chuyển từ danh sách thành phần hồ sơ trước khi có phiên bản (dossiers.RequiredDocument)"
START = dt.date(2000, 1, 1)


def forward(apps, schema_editor):
    RequiredDocument = apps.get_model("dossiers", "RequiredDocument")
    DossierDocument = apps.get_model("dossiers", "DossierDocument")
    Dossier = apps.get_model("dossiers", "Dossier")
    Checklist = apps.get_model("catalog", "Checklist")
    ChecklistItem = apps.get_model("catalog", "ChecklistItem")
    procedure_ids = sorted(set(RequiredDocument.objects.values_list("procedure_id", flat=True)))
    for procedure_id in procedure_ids:
        checklist = Checklist.objects.create(procedure_id=procedure_id, version=1, effective_from=START, source=SOURCE)
        olds = list(RequiredDocument.objects.filter(procedure_id=procedure_id).order_by("order", "id"))
        for position, old in enumerate(olds, start=1):
            item = ChecklistItem.objects.create(
                checklist=checklist, order=old.order or position, name=old.name, kind="submit",
                original_copies=old.original_copies, photocopies=old.photocopies, mandatory=old.mandatory,
            )
            DossierDocument.objects.filter(required_document_id=old.pk).update(checklist_item_id=item.pk)
        linked = DossierDocument.objects.filter(checklist_item__checklist=checklist).values("dossier_id")
        Dossier.objects.filter(pk__in=linked, checklist__isnull=True).update(checklist=checklist)


def backward(apps, schema_editor):
    RequiredDocument = apps.get_model("dossiers", "RequiredDocument")
    DossierDocument = apps.get_model("dossiers", "DossierDocument")
    Dossier = apps.get_model("dossiers", "Dossier")
    Checklist = apps.get_model("catalog", "Checklist")
    ChecklistItem = apps.get_model("catalog", "ChecklistItem")
    # the newest version of each procedure becomes the (unversioned) list again; documents linked to
    # rows of older versions are linked to a same-named row of the newest version when there is one
    for checklist in Checklist.objects.order_by("procedure_id", "-version"):
        if RequiredDocument.objects.filter(procedure_id=checklist.procedure_id).exists():
            continue
        by_name = {}
        for item in ChecklistItem.objects.filter(checklist=checklist).order_by("order", "id"):
            by_name[item.name.casefold()] = RequiredDocument.objects.create(
                procedure_id=checklist.procedure_id, name=item.name, original_copies=item.original_copies,
                photocopies=item.photocopies, mandatory=item.mandatory, order=item.order,
            )
        for doc in DossierDocument.objects.filter(checklist_item__checklist__procedure_id=checklist.procedure_id):
            old = by_name.get(doc.checklist_item.name.casefold()) if doc.checklist_item_id else None
            DossierDocument.objects.filter(pk=doc.pk).update(required_document_id=old.pk if old else None, checklist_item_id=None)
    Dossier.objects.update(checklist=None)
    ChecklistItem.objects.all().delete()
    Checklist.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0003_checklist_fields"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
