"""Step 3 of 3: drop dossiers.RequiredDocument; DossierDocument.required_document now points at the
catalogue's immutable ChecklistItem (PROTECT: a row a dossier was received against cannot be deleted)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dossiers", "0004_checklist_copy"),
    ]

    operations = [
        migrations.RemoveField(model_name="dossierdocument", name="required_document"),
        migrations.DeleteModel(name="RequiredDocument"),
        migrations.RenameField(model_name="dossierdocument", old_name="checklist_item", new_name="required_document"),
        migrations.AlterField(
            model_name="dossierdocument",
            name="required_document",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="catalog.checklistitem",
                help_text="Dòng thành phần hồ sơ (của phiên bản đã tiếp nhận) mà giấy tờ này đáp ứng",
                verbose_name="giấy tờ yêu cầu",
            ),
        ),
    ]
