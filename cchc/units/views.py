"""Pages of the organisation registry: the list of units in the user's scope and one unit's card."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from .models import UnitKind
from .selectors import current_successor, unit_get, unit_lineage, unit_list


def _staff_only(request) -> None:
    """The registry is for officials; a citizen gets the 403 page rather than an empty list."""
    user = request.user
    if not (getattr(user, "is_staff_member", False) or user.is_superuser):
        raise PermissionDenied


@login_required
def unit_index(request):
    """Danh mục đơn vị: units the user may see, filtered by kind and folded text (htmx updates the table)."""
    _staff_only(request)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")
    qs = unit_list(user=request.user, kind=kind or None, q=q or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "kind": kind, "q": q, "kinds": UnitKind.choices}
    template = "units/_table.html" if request.htmx else "units/index.html"
    return render(request, template, ctx)


@login_required
def unit_detail(request, code: str):
    _staff_only(request)
    unit = unit_get(user=request.user, code=code)
    if unit is None:
        raise Http404
    children = unit_list(user=request.user).filter(parent=unit)
    lineage = sorted(unit_lineage(unit), key=lambda u: (u.valid_from is not None, u.code))
    return render(request, "units/detail.html", {
        "unit": unit, "children": children, "lineage": lineage, "current": current_successor(unit),
    })
