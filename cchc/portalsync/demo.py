"""Demo: the demo province's synchronisation with the (fake) national portal.

The generated demo dossiers are written in bulk, without the outbox; synchronisation "goes live" this month:
the dossiers received in the last two days get one outbox event each with their current status (the initial sync,
`services.backfill`), sent through the real sender to the fake portal. Earlier days are not covered, so
indicator 1.4 falls back to its entered figure (`selectors.period_covered`: a period is served only when every
dossier received in it is in the outbox). Kept to two days so the demo stays fast. The fake portal is then told to refuse a few dossier
codes (about 1 in 150, seeded): those events are dead letters after their attempts, shown to the PAR office
(`noivu`) on /dong-bo-cong-dvc/ with "Gửi lại". A few dossiers the portal acknowledged still show an earlier
status there (state mismatch), and three codes exist only at the portal (dossiers filed on the national portal
and never transferred: extra). Deterministic; idempotent (a province with outbox events is left alone).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import services
from .models import FakePortalControl, FakePortalDossier, PortalEvent, SendState

SEED = 766


def build(ctx, *, stdout=None) -> None:
    province = ctx.get("province")
    if province is None or PortalEvent.objects.filter(province=province).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    n = services.backfill(province=province, actor="demo", received_from=today - timedelta(days=2))
    codes = sorted(PortalEvent.objects.filter(province=province).values_list("dossier_code", flat=True))
    refused = [c for c in codes if rng.random() < 1 / 150]
    ctl = FakePortalControl.objects.order_by("id").first() or FakePortalControl.objects.create()
    ctl.fail_codes = "\n".join(refused)
    ctl.save(update_fields=["fail_codes"])
    # the refused ones have already been tried all but once: the next send makes them dead letters
    PortalEvent.objects.filter(province=province, dossier_code__in=refused[: len(refused) * 2 // 3]).update(
        attempts=services.MAX_ATTEMPTS - 1, state=SendState.RETRYING)
    counts = services.events_send_due(now=timezone.now(), limit=n + 10, adapter=None)
    with transaction.atomic():
        held = list(FakePortalDossier.objects.filter(province_code=province.code).exclude(status="received")
                    .order_by("dossier_code").values_list("pk", flat=True))
        behind = rng.sample(held, min(len(held), max(3, len(held) // 200))) if held else []
        FakePortalDossier.objects.filter(pk__in=behind).update(status="received")
        for i in range(3):
            FakePortalDossier.objects.get_or_create(
                dossier_code=f"{province.code}.DVCQG-{(timezone.localdate() - timedelta(days=3 * i)):%y%m%d}-{9001 + i}",
                defaults={"province_code": province.code, "status": "received"})
        ctl.fail_codes = "\n".join(refused[len(refused) * 2 // 3:])  # the last third keeps failing (retrying)
        ctl.save(update_fields=["fail_codes"])
    if stdout:
        stdout.write(f"Đồng bộ Cổng DVC quốc gia (giả lập): {n} sự kiện, đã gửi {counts['sent']}, "
                     f"thất bại {counts['dead']}, chờ gửi lại {counts['failed']}; lệch {len(behind)}, thừa 3\n")
