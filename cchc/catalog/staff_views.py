"""Staff pages of the procedure catalogue (quản lý TTHC của tỉnh), for the PAR office (Sở Nội vụ).

    /thu-tuc/quan-ly/                              TTHC đang áp dụng của tỉnh (filters, search, pages)
    /thu-tuc/quan-ly/cong-bo/                      công bố một TTHC (new version)
    /thu-tuc/quan-ly/<code>/                       lịch sử công bố và sự kiện của một TTHC
    /thu-tuc/quan-ly/<code>/cong-bo/               công bố / sửa đổi TTHC đó
    /thu-tuc/quan-ly/<code>/su-kien/               ghi sự kiện (ban hành mới, sửa đổi, bãi bỏ, đơn giản hóa...)
    /thu-tuc/quan-ly/<code>/thanh-phan-ho-so/      sửa thành phần hồ sơ (services.checklist_save: phiên bản mới)
    /thu-tuc/quan-ly/bao-cao/?tu=&den=[&xuat=xlsx] báo cáo kiểm soát TTHC (+ XLSX)

Who: writes need `can(user, "manage", province)` (PAR office of the province, system admin; a unit head
whose unit is the province). Reads also admit the province leader (`can(user, "view", province)`), who
reports the figures but does not publish. The province is the user's own; `?tinh=CODE` picks another one,
which the permission check then accepts only for a system admin. Views parse, call one service, render;
a DomainError is shown next to the form with a 4xx status, never a 500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.accounts.permissions import can
from cchc.core.errors import ConflictError, DomainError, ForbiddenError

from . import staff_forms
from .models import EventKind, OnlineLevel, Procedure, TimeUnit
from .selectors import checklist_versions, procedure_checklist, simplification_report
from .services import checklist_save, procedure_publish
from .staff_services import (
    procedure_event_record,
    report_sentence,
    simplification_report_xlsx,
    staff_events,
    staff_filter_choices,
    staff_publication_list,
    staff_version_history,
    vn_int,
    vn_pct,
)

PAGE_SIZE = 50
READ_ONLY_ROLES = {Role.PROVINCE_LEADER}
CODE_RE = r"(?P<code>\d+(?:\.\d+)+)"


# ------------------------------------------------------------------------------------------ helpers

def _province(request, *, write: bool):
    """The province the page is about, after the permission check (PermissionDenied → 403)."""
    from cchc.units.models import Unit, UnitKind

    user = request.user
    code = (request.GET.get("tinh") or "").strip()
    if code:
        province = Unit.objects.filter(code=code, kind=UnitKind.PROVINCE).first()
        if province is None:
            raise Http404("Không có tỉnh mã này.")
    else:
        province = user.unit.province_unit if getattr(user, "unit_id", None) else None
        if province is not None and province.kind != UnitKind.PROVINCE:
            province = None
    if province is None:
        if user.is_system_admin:
            return None  # the page shows the list of provinces to choose from
        raise PermissionDenied("Tài khoản chưa gắn với tỉnh nào.")
    allowed = can(user, "manage", province) or (
        not write and user.role in READ_ONLY_ROLES and can(user, "view", province)
    )
    if not allowed:
        raise PermissionDenied("Bạn không có quyền quản lý thủ tục của tỉnh này.")
    return province



def _choose_province(request, target: str):
    from cchc.units.models import Unit, UnitKind

    provinces = Unit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("name")
    return render(request, "catalog/staff/choose_province.html", {"provinces": provinces, "target": target})


def _tinh(request) -> str:
    """"?tinh=CODE" to carry a chosen province across links and forms (system admin), else ""."""
    code = (request.GET.get("tinh") or "").strip()
    return "?" + urlencode({"tinh": code}) if code else ""


def _base_context(request, province) -> dict:
    return {
        "province": province,
        "tinh": _tinh(request),
        "can_manage": can(request.user, "manage", province),
    }


def _procedure_or_404(code: str) -> Procedure:
    procedure = Procedure.objects.filter(code=code, is_active=True).first()
    if procedure is None:
        raise Http404("Không tìm thấy thủ tục.")
    return procedure


def _status_for(exc: DomainError) -> int:
    return 409 if isinstance(exc, ConflictError) else 400


def _attach(form, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Show a service error next to the field it names (or above the form)."""
    field = (field_map or {}).get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def _number(value) -> str:
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def _time_text(value, unit: str) -> str:
    if unit == TimeUnit.SAME_DAY:
        return TimeUnit(unit).label
    label = TimeUnit(unit).label.lower() if unit in TimeUnit.values else unit
    return f"{_number(value)} {label}"


def _cut_pct(pub) -> int | None:
    """% by which the province cut the national time, when both are in the same unit."""
    national = pub.procedure
    if national.time_value and national.time_unit == pub.time_unit and pub.time_value < national.time_value:
        return round((1 - pub.time_value / national.time_value) * 100)
    return None


# --------------------------------------------------------------------------------------------- list

@login_required
def staff_list(request):
    """TTHC đang áp dụng của tỉnh: filters (level, field, online level, desk, day), search, 50 per page."""
    province = _province(request, write=False)
    if province is None:
        return _choose_province(request, reverse("catalog:staff_list"))
    today = timezone.localdate()
    probe = staff_forms.FilterForm(request.GET)
    probe.is_valid()
    on_date = probe.value("ngay") or today
    choices = staff_filter_choices(province=province, on_date=on_date)
    form = staff_forms.FilterForm(request.GET or None, fields=choices["fields"], desks=choices["desks"])
    if form.is_bound:
        form.is_valid()
    rows = staff_publication_list(
        province=province, on_date=on_date, level=form.value("level"), field=form.value("field"),
        online_level=form.value("online"), desk=form.value("desk"), query=form.value("q").strip(),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for pub in page.object_list:
        pub.province_time = _time_text(pub.time_value, pub.time_unit)
        pub.cut_pct = _cut_pct(pub)
    keep = request.GET.copy()
    keep.pop("page", None)
    ctx = _base_context(request, province) | {
        "form": form, "page": page, "total": page.paginator.count, "on_date": on_date, "today": today,
        "query_string": keep.urlencode(), "searching": bool(form.value("q").strip()),
    }
    return render(request, "catalog/staff/list.html", ctx)


# ------------------------------------------------------------------------------------------ history

@login_required
def staff_procedure(request, code: str):
    """Một TTHC của tỉnh: version history, events (the province's and national ones), checklist."""
    province = _province(request, write=False)
    if province is None:
        return _choose_province(request, request.path)
    procedure = _procedure_or_404(code)
    today = timezone.localdate()
    versions = staff_version_history(province=province, procedure=procedure)
    for v in versions:
        v.province_time = _time_text(v.time_value, v.time_unit)
        v.in_force = v.effective_from <= today and (v.effective_to is None or v.effective_to >= today)
        v.upcoming = v.effective_from > today
    ctx = _base_context(request, province) | {
        "procedure": procedure, "versions": versions,
        "events": list(staff_events(province=province, procedure=procedure)[:100]),
    }
    ctx["checklist"], ctx["documents"] = procedure_checklist(procedure=procedure)
    return render(request, "catalog/staff/procedure.html", ctx)


# ------------------------------------------------------------------------------------------ publish

def _publish_initial(province, procedure: Procedure | None, level: str) -> dict:
    """Prefill "modify" from the newest version at that level (the new decision and date stay empty)."""
    initial = {"level": level or "province", "time_unit": TimeUnit.WORKING_DAYS, "online_level": OnlineLevel.NONE,
               "fee_amount": 0}
    if procedure is None:
        return initial
    initial["procedure_code"] = procedure.code
    versions = staff_version_history(province=province, procedure=procedure)
    latest = next((v for v in versions if not level or v.level == level), None)
    if latest is not None:
        initial.update(
            level=latest.level, desk=latest.desk.code if latest.desk else None,
            handling_unit=latest.handling_unit.code if latest.handling_unit else None,
            time_value=latest.time_value.normalize(), time_unit=latest.time_unit, online_level=latest.online_level,
            fee_amount=latest.fee_amount,
        )
    elif procedure.time_value is not None and procedure.time_unit != TimeUnit.UNKNOWN:
        initial.update(time_value=procedure.time_value.normalize(), time_unit=procedure.time_unit)
    return initial


@login_required
def staff_publish(request, code: str | None = None):
    """Công bố / sửa đổi TTHC áp dụng tại tỉnh → procedure_publish (new version, previous one closed)."""
    from cchc.units.models import Unit

    province = _province(request, write=True)
    if province is None:
        return _choose_province(request, request.path)
    procedure = _procedure_or_404(code) if code else None
    if procedure is None and request.GET.get("ma"):
        procedure = Procedure.objects.filter(code=request.GET["ma"].strip(), is_active=True).first()
    units = Unit.objects.filter(province=province, is_active=True)
    form_kwargs = {"province": province, "units_queryset": units, "fixed_procedure": code is not None}
    status = 200
    if request.method == "POST":
        data = request.POST.copy()
        if code:
            data["procedure_code"] = code
        elif not data.get("procedure_code"):  # other spellings of the code field (API-like clients)
            data["procedure_code"] = next((data[k] for k in ("procedure", "code", "ma") if data.get(k)), "")
        form = staff_forms.PublishForm(data, **form_kwargs)
        if form.is_valid():
            cd = form.cleaned_data
            target = Procedure.objects.filter(code=cd["procedure_code"], is_active=True).first()
            if target is None:
                form.add_error("procedure_code", "Không có thủ tục mã này trong danh mục.")
            else:
                try:
                    created = procedure_publish(
                        province=province, procedure=target, desk=cd["desk"], handling_unit=cd["handling_unit"],
                        level=cd["level"], time_value=cd["time_value"], time_unit=cd["time_unit"],
                        online_level=cd["online_level"], fee_amount=cd["fee_amount"] or 0,
                        decision_no=cd["decision_no"], effective_from=cd["effective_from"], actor=request.user,
                    )
                except ForbiddenError as exc:
                    raise PermissionDenied(exc.message) from exc
                except DomainError as exc:
                    _attach(form, exc)
                    status = _status_for(exc)
                else:
                    messages.success(
                        request,
                        f"Đã công bố {target.code} theo {created.decision_no}, hiệu lực từ "
                        f"{created.effective_from:%d/%m/%Y}.",
                    )
                    return redirect(reverse("catalog:staff_procedure", args=[target.code]) + _tinh(request))
        if status == 200:
            status = 400
    else:
        form = staff_forms.PublishForm(
            initial=_publish_initial(province, procedure, request.GET.get("cap", "")), **form_kwargs,
        )
    ctx = _base_context(request, province) | {"form": form, "procedure": procedure}
    return render(request, "catalog/staff/publish.html", ctx, status=status)


# -------------------------------------------------------------------------------------------- event

@login_required
def staff_event(request, code: str):
    """Ghi sự kiện của thủ tục (quyết định của tỉnh) → staff_services.procedure_event_record."""
    province = _province(request, write=True)
    if province is None:
        return _choose_province(request, request.path)
    procedure = _procedure_or_404(code)
    status = 200
    if request.method == "POST":
        form = staff_forms.EventForm(request.POST)
        if form.is_valid():
            cd = form.cleaned_data
            try:
                event = procedure_event_record(
                    province=province, procedure=procedure, kind=cd["kind"], decision_no=cd["decision_no"],
                    decision_date=cd["decision_date"], time_before=cd["time_before"], time_after=cd["time_after"],
                    note=cd["note"], close_publications=cd["close_publications"], actor=request.user,
                )
            except ForbiddenError as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                _attach(form, exc)
                status = _status_for(exc)
            else:
                messages.success(request, f"Đã ghi sự kiện “{event.get_kind_display()}” theo {event.decision_no}.")
                return redirect(reverse("catalog:staff_procedure", args=[procedure.code]) + _tinh(request))
        if status == 200:
            status = 400
    else:
        current = next(iter(staff_version_history(province=province, procedure=procedure)), None)
        form = staff_forms.EventForm(initial={
            "kind": EventKind.SIMPLIFIED,
            "time_before": current.time_value.normalize() if current else None,
        })
    ctx = _base_context(request, province) | {"form": form, "procedure": procedure}
    return render(request, "catalog/staff/event.html", ctx, status=status)


# ---------------------------------------------------------------------------------------- checklist

@login_required
def staff_checklist(request, code: str):
    """Thành phần hồ sơ (dùng chung cho mọi tỉnh) → services.checklist_save: saving makes a new version."""
    province = _province(request, write=True)
    if province is None:
        return _choose_province(request, request.path)
    procedure = _procedure_or_404(code)
    current, rows = procedure_checklist(procedure=procedure)
    status = 200
    error = None
    if request.method == "POST":
        formset = staff_forms.ChecklistFormSet(request.POST, prefix="tp")
        version_form = staff_forms.ChecklistVersionForm(request.POST)
        if formset.is_valid() and version_form.is_valid():
            items = []
            for row in formset.cleaned_data:
                name = (row.get("name") or "").strip()
                if not name:
                    continue
                items.append({
                    "name": name,
                    "kind": row.get("kind") or "submit",
                    "original_copies": 1 if row.get("original_copies") is None else row["original_copies"],
                    "photocopies": row.get("photocopies") or 0,
                    "mandatory": bool(row.get("mandatory")),
                    "form_name": (row.get("form_name") or "").strip(),
                    "note": (row.get("note") or "").strip(),
                })
            try:
                saved = checklist_save(
                    procedure_code=procedure.code, items=items, actor=request.user,
                    effective_from=version_form.cleaned_data.get("effective_from"),
                    decision_no=version_form.cleaned_data.get("decision_no") or "",
                    source=f"Trang quản lý thủ tục ({request.user.get_username()})",
                )
            except ForbiddenError as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                error = exc.message
                status = _status_for(exc)
            else:
                if current is not None and saved.pk == current.pk:
                    messages.info(request, f"Không có thay đổi: thành phần hồ sơ của {procedure.code} vẫn là phiên bản {saved.version}.")
                else:
                    messages.success(request, f"Đã lưu phiên bản {saved.version} ({len(items)} thành phần hồ sơ) của "
                                              f"{procedure.code}, áp dụng từ {saved.effective_from:%d/%m/%Y}.")
                return redirect(reverse("catalog:staff_procedure", args=[procedure.code]) + _tinh(request))
        else:
            status = 400
            error = "Vui lòng kiểm tra các dòng được đánh dấu."
    else:
        formset = staff_forms.ChecklistFormSet(prefix="tp", initial=[
            {"name": r.name, "kind": r.kind, "original_copies": r.original_copies, "photocopies": r.photocopies,
             "mandatory": r.mandatory, "form_name": r.form_name, "note": r.note}
            for r in rows
        ])
        version_form = staff_forms.ChecklistVersionForm(initial={"effective_from": timezone.localdate()})
    ctx = _base_context(request, province) | {
        "formset": formset, "version_form": version_form, "procedure": procedure, "error": error,
        "current": current, "versions": checklist_versions(procedure=procedure),
    }
    return render(request, "catalog/staff/checklist.html", ctx, status=status)


# ------------------------------------------------------------------------------------------- report

@login_required
def staff_report(request, xlsx: bool = False):
    """Báo cáo kiểm soát TTHC của tỉnh trong kỳ (?tu=&den=), on the page or as XLSX (?xuat=xlsx)."""
    province = _province(request, write=False)
    if province is None:
        return _choose_province(request, reverse("catalog:staff_report"))
    today = timezone.localdate()
    data = request.GET.copy()
    for key, default in (("tu", dt.date(today.year, 1, 1)), ("den", today)):
        if not data.get(key, "").strip():
            data[key] = default.isoformat()
    form = staff_forms.ReportForm(data)
    ctx = _base_context(request, province) | {"form": form}
    if not form.is_valid():
        ctx["error"] = "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        return render(request, "catalog/staff/report.html", ctx, status=400)
    date_from, date_to = form.cleaned_data["tu"], form.cleaned_data["den"]
    try:
        report = simplification_report(province=province, date_from=date_from, date_to=date_to)
    except DomainError as exc:
        ctx["error"] = exc.message
        return render(request, "catalog/staff/report.html", ctx, status=_status_for(exc))
    events = staff_events(province=province, date_from=date_from, date_to=date_to)
    wants_xlsx = xlsx or any(request.GET.get(key, "").lower() in {"xlsx", "1"} for key in ("xuat", "format", "xlsx"))
    if wants_xlsx:
        content = simplification_report_xlsx(report=report, events=events.iterator())
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"bao-cao-kiem-soat-tthc-{province.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    query = {"tu": date_from.isoformat(), "den": date_to.isoformat()}
    if request.GET.get("tinh"):
        query["tinh"] = request.GET["tinh"]
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx |= {
        "report": report, "sentence": report_sentence(report), "date_from": date_from, "date_to": date_to,
        "figures": {
            "in_force": vn_int(report["in_force"]), "simplified": vn_int(report["simplified"]),
            "simplified_pct": vn_pct(report["simplified_pct"]), "new": vn_int(report["new"]),
            "amended": vn_int(report["amended"]), "abolished": vn_int(report["abolished"]),
            "simplified_in_period": vn_int(report["simplified_in_period"]), "time_cut": vn_int(report["time_cut"]),
            "new_or_amended": vn_int(report["new_or_amended"]),
            "time_cut_of_new_or_amended": vn_int(report["time_cut_of_new_or_amended"]),
        },
        "page": page, "period_query": urlencode(query),
        "xlsx_url": reverse("catalog:staff_report") + "?" + urlencode(query | {"xuat": "xlsx"}),
    }
    return render(request, "catalog/staff/report.html", ctx)


# ------------------------------------------------------------------------------------------- routes

urlpatterns = [
    path("thu-tuc/quan-ly/", staff_list, name="staff_list"),
    path("thu-tuc/quan-ly/cong-bo/", staff_publish, name="staff_publish"),
    path("thu-tuc/quan-ly/bao-cao/", staff_report, name="staff_report"),
    path("thu-tuc/quan-ly/bao-cao/xlsx/", staff_report, {"xlsx": True}, name="staff_report_xlsx"),
    re_path(rf"^thu-tuc/quan-ly/{CODE_RE}/$", staff_procedure, name="staff_procedure"),
    re_path(rf"^thu-tuc/quan-ly/{CODE_RE}/cong-bo/$", staff_publish, name="staff_procedure_publish"),
    re_path(rf"^thu-tuc/quan-ly/{CODE_RE}/su-kien/$", staff_event, name="staff_event"),
    re_path(rf"^thu-tuc/quan-ly/{CODE_RE}/thanh-phan-ho-so/$", staff_checklist, name="staff_checklist"),
]
