"""Pages of the organisation registry: the list of units in the user's scope and one unit's card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

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


@login_required
def target_index(request):
    """Chỉ tiêu CCHC của tỉnh: the province's targets and the national defaults; PAR office / heads edit them."""
    _staff_only(request)
    from cchc.accounts.permissions import can
    from cchc.core.errors import DomainError

    from . import targets
    from .forms import TargetForm
    from .models import TargetMetric

    user = request.user
    home = getattr(user, "unit", None)
    province = home.province_unit if home is not None else None
    may_edit = province is not None and can(user, "manage", province)
    form, error, status = TargetForm(province=province), None, 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        try:
            if request.POST.get("xoa"):
                targets.target_delete(actor=user, target_id=int(request.POST["xoa"]), reason="xóa trên trang chỉ tiêu")
                return redirect("units:targets")
            form = TargetForm(request.POST, province=province)
            if form.is_valid():
                cd = form.cleaned_data
                targets.target_set(actor=user, province=province, unit=cd["unit"], year=cd["year"], metric=cd["metric"],
                                   value=cd["value"], source_document=cd["source_document"],
                                   source_url=cd["source_url"], note=cd["note"])
                return redirect("units:targets")
            status = 400
        except (DomainError, ValueError) as exc:
            error, status = getattr(exc, "message", str(exc)), getattr(exc, "status_code", 400)
    rows = targets.targets_visible(user, province)
    year = timezone.localdate().year
    in_force = [(label, targets.target_for(metric, home, year)) for metric, label in TargetMetric.choices]
    return render(request, "units/targets.html", {
        "rows": rows, "form": form, "may_edit": may_edit, "error": error, "province": province,
        "in_force": in_force, "year": year, "home": home,
    }, status=status)


HOME_UNIT_PAGE_SIZE = 20


@login_required
def home_unit(request):
    """Xã/phường nơi cư trú: the person's commune of residence (User.home_unit), the default place of online
    filing for commune-level procedures. Search by folded name, optionally in one province; choose with a
    button; clear. Refusals are 400 naming the field; `next` (a local path) is where to go back after saving."""
    from cchc.core.errors import DomainError

    from .selectors import home_unit_choices, home_unit_provinces
    from .services import HOME_UNIT_LABEL, home_unit_set

    source = request.POST if request.method == "POST" else request.GET
    next_url = source.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    error = None
    if request.method == "POST":
        clear = request.POST.get("clear") == "1"
        try:
            user = home_unit_set(user=request.user, actor=request.user, code=None if clear else request.POST.get("home_unit", ""))
        except DomainError as exc:
            error = exc
        else:
            if user.home_unit_id:
                messages.success(request, f"Đã lưu nơi cư trú: {user.home_unit.name}, {user.home_unit.province.name}.")
            else:
                messages.success(request, "Đã bỏ nơi cư trú.")
            return redirect(next_url or "accounts:profile")
    request.user.refresh_from_db()
    home = request.user.home_unit
    provinces = list(home_unit_provinces())
    province_code = source.get("tinh", "").strip()
    if not province_code and "tinh" not in source and home is not None:
        province_code = home.province.code
    if not province_code and len(provinces) == 1:
        province_code = provinces[0].code
    q = source.get("q", "").strip()
    page = Paginator(home_unit_choices(q=q, province_code=province_code), HOME_UNIT_PAGE_SIZE).get_page(request.GET.get("trang"))
    ctx = {"home": home, "provinces": provinces, "province_code": province_code, "q": q, "page": page,
           "error": error, "next": next_url, "label": HOME_UNIT_LABEL}
    template = "units/_home_unit_rows.html" if request.htmx else "units/home_unit.html"
    return render(request, template, ctx, status=400 if error else 200)
