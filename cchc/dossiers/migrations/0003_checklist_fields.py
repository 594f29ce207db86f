"""Thành phần hồ sơ moves to the catalogue (catalog.Checklist / ChecklistItem, versioned).

Step 1 of 3: the new links, next to the old one. 0003 copies the rows, 0004 drops the old model.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_checklist_versions"),
        ("dossiers", "0002_vietnamese_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="checklist",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="dossiers",
                to="catalog.checklist",
                help_text="Phiên bản thành phần hồ sơ áp dụng khi tiếp nhận (trống: hồ sơ trước khi có phiên bản)",
                verbose_name="phiên bản thành phần hồ sơ",
            ),
        ),
        migrations.AddField(
            model_name="dossierdocument",
            name="checklist_item",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="catalog.checklistitem",
            ),
        ),
    ]
