"""Reads: the reconciliation report (đối soát) between the platform and the national portal, outbox health.

Reconciliation compares, for one province, the portal status each platform dossier should show (its current
status mapped by services.STATUS_TO_KIND; dossiers still waiting for acceptance are not portal dossiers) with
what the portal's adapter says it holds:
- missing: on the platform, not at the portal; extra: at the portal, unknown to the platform;
- mismatch: both, different status; matched: both, same status.
`sync_rate` = matched / platform dossiers (None when the platform has none) — the figure the Decision 766
synchronisation indicator (1.4) reads through `sync_summary`.
"""

from __future__ import annotations

from django.db.models import Count

from cchc.dossiers.models import Dossier

from .adapters import PortalError, portal
from .models import EventKind, PortalEvent, SendState
from .services import STATUS_TO_KIND, portal_status

LIST_LIMIT = 200
LABELS = dict(EventKind.choices)


def status_label(status: str) -> str:
    return LABELS.get(status, status)


def reconcile(*, province, adapter=None, received_from=None, received_to=None) -> dict:
    adapter = adapter or portal()
    qs = Dossier.objects.filter(province=province, status__in=list(STATUS_TO_KIND))
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    platform = {code: portal_status(status) for code, status in qs.values_list("code", "status")}
    report = {"province": province.code, "province_name": province.name, "platform_total": len(platform),
              "portal_total": None, "matched": 0, "missing": [], "extra": [], "mismatch": [], "sync_rate": None,
              "error": None, "adapter": getattr(adapter, "name", "off")}
    if adapter is None:
        report["error"] = "Chưa cấu hình kết nối Cổng DVC quốc gia (PORTALSYNC_MODE)."
        return report
    try:
        held = adapter.snapshot(province.code)
    except PortalError as exc:
        report["error"] = f"Không đọc được dữ liệu từ Cổng DVC quốc gia: {exc}"
        return report
    if received_from or received_to:
        # a period: the portal's dossiers of that period are the platform's ones it holds; extras (unknown to the
        # platform, so undated) are the portal codes no dossier of the province has
        known = set(Dossier.objects.filter(province=province).values_list("code", flat=True))
        held_scope = {c: s for c, s in held.items() if c in platform}
        extra_codes = {c: s for c, s in held.items() if c not in known}
    else:
        held_scope = held
        extra_codes = {c: s for c, s in held.items() if c not in platform}
    report["portal_total"] = len(held_scope) + (len(extra_codes) if (received_from or received_to) else 0)
    missing, mismatch = [], []
    for code, status in sorted(platform.items()):
        if code not in held_scope:
            missing.append({"code": code, "platform_status": status})
        elif held_scope[code] != status:
            mismatch.append({"code": code, "platform_status": status, "portal_status": held_scope[code]})
        else:
            report["matched"] += 1
    extra = [{"code": c, "portal_status": s} for c, s in sorted(extra_codes.items())]
    for row in missing + mismatch + extra:
        for key in ("platform_status", "portal_status"):
            if key in row:
                row[key + "_label"] = status_label(row[key])
    report.update({"missing_count": len(missing), "mismatch_count": len(mismatch), "extra_count": len(extra),
                   "missing": missing[:LIST_LIMIT], "mismatch": mismatch[:LIST_LIMIT], "extra": extra[:LIST_LIMIT]})
    if platform:
        report["sync_rate"] = round(report["matched"] / len(platform), 4)
    return report


def outbox_counts(*, province) -> dict:
    rows = PortalEvent.objects.filter(province=province).values("state").annotate(n=Count("id"))
    counts = {s.value: 0 for s in SendState}
    counts.update({r["state"]: r["n"] for r in rows})
    return counts


def failed_events(*, province, limit: int = 100):
    return (PortalEvent.objects.filter(province=province, state__in=[SendState.DEAD, SendState.RETRYING])
            .order_by("state", "-attempts", "dossier_code", "seq")[:limit])


def sync_summary(*, province, received_from=None, received_to=None) -> dict:
    """For the Decision 766 synchronisation indicator 1.4: platform dossiers, matched at the portal, rate."""
    r = reconcile(province=province, received_from=received_from, received_to=received_to)
    return {"platform_total": r["platform_total"], "matched": r["matched"], "sync_rate": r["sync_rate"],
            "available": r["error"] is None, "error": r["error"]}


def period_covered(*, province, start, end) -> bool:
    """True when every dossier received in [start, end] has an outbox event, i.e. the period lies after the
    province's synchronisation went live (or was backfilled): before that the outbox knows nothing and a
    reconciliation would wrongly count every dossier as missing."""
    qs = Dossier.objects.filter(province=province, status__in=list(STATUS_TO_KIND),
                                received_at__date__gte=start, received_at__date__lte=end)
    return qs.exists() and not qs.filter(portal_events__isnull=True).exists()


def indicator_1_4(province, start, end, unit=None):
    """Provider of the 766 indicator 1.4 (dossiers received in the period synchronised to the national portal):
    (matched at the portal, platform dossiers received in [start, end]); None for a unit view, a period the
    outbox does not cover (before go-live), or an unreadable portal (the index falls back to its own source)."""
    if unit is not None or not period_covered(province=province, start=start, end=end):
        return None
    s = sync_summary(province=province, received_from=start, received_to=end)
    if not s["available"] or not s["platform_total"]:
        return None
    return {"numerator": s["matched"], "denominator": s["platform_total"],
            "source": "Đối soát với Cổng DVC quốc gia (cchc.portalsync)"}


def register_indicator(inputs) -> None:
    """Serve indicator 1.4 through the service index's provider registry (cchc.serviceindex.inputs)."""
    inputs.register_provider("1.4", indicator_1_4)
