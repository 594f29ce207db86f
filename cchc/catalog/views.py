"""Public procedure pages: /thu-tuc/?q=... (live search with htmx) and /thu-tuc/<code>/."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cchc.core.errors import NotFoundError

from .models import OnlineLevel, Procedure
from .search import search_procedures
from .selectors import procedure_checklist, procedure_events, procedure_get, procedure_publications

ONLINE_RANK = {OnlineLevel.FULL: 2, OnlineLevel.PARTIAL: 1, OnlineLevel.NONE: 0}


def _rows(hits):
    """Hits with the fields the result list shows (field, level, time, online level)."""
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=[h.code for h in hits])}
    today = timezone.localdate()
    online = {}
    pubs = apps.get_model("catalog", "ProvinceProcedure").objects.filter(
        procedure__code__in=procedures, effective_from__lte=today,
    ).exclude(effective_to__lt=today).values_list("procedure__code", "online_level")
    for code, level in pubs:
        if ONLINE_RANK.get(level, 0) > ONLINE_RANK.get(online.get(code), 0):
            online[code] = level
    return [
        {"hit": h, "procedure": procedures[h.code], "online_level": online.get(h.code, "")}
        for h in hits if h.code in procedures
    ]


def procedure_search(request):
    """Tra cứu thủ tục hành chính (public, no login). htmx requests get only the result list."""
    query = request.GET.get("q", "").strip()[:200]
    rows = _rows(search_procedures(query, limit=20)) if query else []
    context = {"query": query, "rows": rows, "total": Procedure.objects.filter(is_active=True).count()}
    template = "catalog/_results.html" if getattr(request, "htmx", False) else "catalog/search.html"
    return render(request, template, context)


def _commune_desk_counts(province_ids: set[int]) -> dict[int, int]:
    from django.db.models import Count

    from cchc.units.models import COMMUNE_KINDS, Unit, UnitKind

    rows = (
        Unit.objects.filter(province_id__in=province_ids, kind=UnitKind.ONE_STOP_DESK, parent__kind__in=COMMUNE_KINDS)
        .values("province_id").annotate(n=Count("id"))
    )
    return {row["province_id"]: row["n"] for row in rows}


def procedure_detail(request, code: str):
    """Chi tiết thủ tục: time, fee, where (desks that publish it), channels, legal basis, online level."""
    try:
        procedure = procedure_get(code=code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    publications = procedure_publications(procedure=procedure)
    commune_desks = _commune_desk_counts({p.province_id for p in publications if p.desk_id is None})
    for pub in publications:
        pub.commune_desks = commune_desks.get(pub.province_id, 0)
    ctx = {
        "procedure": procedure,
        "publications": publications,
        "events": procedure_events(procedure=procedure)[:20],
    }
    ctx["checklist"], ctx["documents"] = procedure_checklist(procedure=procedure)
    return render(request, "catalog/detail.html", ctx)
