"""Keyed audit hashes and a signed checkpoint of the chain head.

Existing events keep their plain SHA-256 hashes (rewriting them would also launder any earlier tampering):
`keyed_from_seq` marks where keyed hashes start, and the checkpoint signs the head as it stands.
"""

from django.db import migrations, models


def sign_existing_head(apps, schema_editor):
    from cchc.core.audit import sign_checkpoint

    Head = apps.get_model("core", "AuditChainHead")
    Event = apps.get_model("core", "AuditEvent")
    head = Head.objects.filter(pk=1).first()
    if head is None:
        last = Event.objects.order_by("-seq").values("seq", "hash").first()
        head = Head(pk=1, last_seq=last["seq"] if last else 0, last_hash=last["hash"] if last else "0" * 64)
    head.keyed_from_seq = head.last_seq + 1
    head.signature = sign_checkpoint(head.last_seq, head.last_hash, head.keyed_from_seq)
    head.save()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_vietnamese_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="keyed_from_seq",
            field=models.BigIntegerField(default=1, verbose_name="mã băm có khóa từ số thứ tự"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="signature",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="chữ ký đầu chuỗi"),
        ),
        migrations.RunPython(sign_existing_head, migrations.RunPython.noop),
    ]
