"""Pages of the dossier engine (server-rendered, htmx, Vietnamese, keyboard-first).

Staff (Bộ phận một cửa, chuyên viên, lãnh đạo) under /mot-cua/:
  /mot-cua/                         quầy tiếp nhận: procedure search → intake form; the queue below
  /mot-cua/thu-tuc/?q=              (htmx) procedure search published at the officer's unit
  /mot-cua/tiep-nhan/<procedure>/   intake form → dossier_receive → receipt page
  /mot-cua/ho-so/                   lists: hàng chờ (by urgency) | của tôi | của đơn vị
  /mot-cua/ho-so/<code>/            detail: allowed actions as buttons, control sheet, audit trail
  /mot-cua/ho-so/<code>/thao-tac/<action>/   POST one workflow action (dossier_transition)
  /mot-cua/ho-so/<code>/phieu/<kind>/        PDF form (receipt, supplement, rejection, apology, control_sheet)
  /mot-cua/so-theo-doi/             dossier register XLSX for a unit and period
Citizens:
  /dich-vu-cong/                    online procedures; /dich-vu-cong/nop/<id>/ file online (login)
  /dich-vu-cong/ho-so-cua-toi/      my dossiers; /dich-vu-cong/ho-so/<code>/ one of mine (upload, pay)
Public:
  /tra-cuu-ho-so/                   lookup by code + token: status, due date, step, e-result and its check, rating
                                    (rate-limited per client with the public_lookup throttle rate)
  /tra-cuu-ho-so/ket-qua/           download the signed e-result (code + token)
  /tra-cuu-ho-so/danh-gia/          POST the rating (services.dossier_rate)
  /tra-cuu-ho-so/kiem-tra-chu-ky/   upload any PDF and check our signature on it

Two thin services live here because D1's equivalents are staff-only ("process" permission):
applicant_document_attach (citizen uploads) and applicant_payment_record (online payment reference).

Views parse input, call one service, render; DomainError messages are shown next to the form (4xx),
never a 500. Every state-changing form carries the dossier version (optimistic locking).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cchc.accounts.permissions import can, filter_by_scope
from cchc.catalog.feeparse import fee_label
from cchc.catalog.selectors import procedure_checklist
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from . import documents, issuance, registers, results, rollups, selectors, services
from . import workflow as wf
from .forms import (
    ActionForm,
    ElectronicResultForm,
    IntakeForm,
    LookupForm,
    OnlineFilingForm,
    PaymentForm,
    RatingForm,
    RegisterForm,
)
from .models import Dossier, DossierDocument, PaymentStatus

STALE_MESSAGE = "Hồ sơ vừa được người khác cập nhật. Trang đã tải lại dữ liệu mới nhất; hãy kiểm tra rồi thao tác lại."
QUEUE_LIMIT = 200
PDF_KINDS = {
    "giay-tiep-nhan": "receipt",
    "yeu-cau-bo-sung": "supplement",
    "tu-choi": "rejection",
    "xin-loi": "apology",
    "kiem-soat": "control_sheet",
}
PDF_SLUGS = {v: k for k, v in PDF_KINDS.items()}
# Actions shown as buttons, with the fields their form needs.
ACTION_FIELDS = {
    wf.ACCEPT: [],
    wf.ASSIGN: ["handling_unit_code", "assignee", "step_allowance", "step_allowance_hours", "task"],
    wf.HANDOVER: ["handling_unit_code", "assignee", "step_allowance", "step_allowance_hours", "task", "note"],
    wf.REQUEST_SUPPLEMENT: ["reason", "requested_documents"],
    wf.SUPPLY: [],
    wf.PAUSE: ["reason"],
    wf.RESUME: [],
    wf.APOLOGISE: ["reason", "new_due_date", "new_due_time", "signatory"],
    wf.COMPLETE: ["issue_electronic_result", "result_title", "result_number", "result_summary", "result_file", "signatory"],
    wf.RETURN: [],
    wf.REJECT: ["reason"],
    wf.WITHDRAW: ["reason"],
}
DANGER_ACTIONS = {wf.REJECT, wf.WITHDRAW}


# ---------------------------------------------------------------------------------------------- helpers

def _error_page(request, status: int, title: str, message: str):
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def staff_required(view):
    """Logged-in staff only (citizens get a 403 page, anonymous users the login page)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not getattr(request.user, "is_staff_member", False) and not request.user.is_superuser:
            return _error_page(request, 403, "Không có quyền", "Trang này dành cho cán bộ, công chức.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _status_for(exc: DomainError) -> int:
    return getattr(exc, "status_code", 400)


def _friendly(exc: DomainError) -> str:
    from .templatetags.dossier_format import human

    if isinstance(exc, ConflictError) and exc.code == "stale_version":
        return f"{STALE_MESSAGE} ({exc.message})"
    return human(exc.message)


def _lookup_url(request) -> str:
    return request.build_absolute_uri(reverse("dossiers:lookup"))


def _now_local():
    return timezone.localtime()


def due_badge(d: Dossier, now=None) -> dict:
    """The queue badge of a dossier (selectors.due_badge: the one definition of overdue, working time left)."""
    return selectors.due_badge(d, now)


def urgency_queryset(qs, now=None):
    """Order by urgency: overdue, due today, waiting for acceptance, the rest by due time, paused last."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return qs.annotate(
        urgency=Case(
            When(selectors.q_overdue_at(now), then=Value(0)),
            When(status__in=list(wf.PAUSED_STATES), then=Value(5)),
            When(status=wf.RESULT_READY, then=Value(4)),
            When(status=wf.WAITING_ACCEPTANCE, then=Value(2)),
            When(selectors.q_due_today(now, today), then=Value(1)),
            default=Value(3),
            output_field=IntegerField(),
        )
    ).order_by("urgency", "due_at", "submitted_at", "id")


def _decorate(rows, now=None):
    return selectors.decorate_badges(rows, now)


def _desk_unit(user):
    return getattr(user, "unit", None)


def _scoped_dossier(request, code: str) -> Dossier:
    """The dossier `code` if it lies in the staff user's scope (selectors.dossier_get_for_user), else 404."""
    try:
        return selectors.dossier_get_for_user(user=request.user, code=code)
    except NotFoundError:
        raise Http404 from None


def _can_process(user, d: Dossier) -> bool:
    return services.can_process_dossier(user, d)


# ---------------------------------------------------------------------------------------------- desk

@staff_required
def desk_home(request):
    """Quầy một cửa: procedure search (autofocus), intake form, and the officer's queue."""
    now = timezone.now()
    unit = _desk_unit(request.user)
    if not can(request.user, "process", unit):  # lãnh đạo tỉnh, Sở Nội vụ: view only → the dashboard
        return redirect("dossiers:dashboard")
    queue = urgency_queryset(
        selectors.dossiers_for_user(request.user).filter(status__in=list(wf.OPEN_STATES))
        .select_related("procedure", "unit", "handling_unit", "assignee"),
        now,
    )[:50]
    counts = _queue_counts(request.user, now)
    return render(request, "dossiers/desk.html", {
        "unit": unit, "queue": _decorate(queue, now), "counts": counts, "q": request.GET.get("q", ""),
        "search": selectors.desk_procedure_search(unit=unit, query=request.GET["q"]) if request.GET.get("q") else None,
    })


def _queue_counts(user, now) -> dict:
    base = selectors.dossiers_for_user(user).filter(status__in=list(wf.OPEN_STATES))
    today = timezone.localtime(now).date()
    return {  # the statistics' definitions (selectors): a dossier paused after its due is overdue
        "overdue": base.filter(selectors.q_overdue_at(now)).count(),
        "today": base.filter(selectors.q_due_today(now, today)).count(),
        "waiting": base.filter(status=wf.WAITING_ACCEPTANCE).count(),
        "paused": base.filter(status__in=list(wf.PAUSED_STATES)).count(),
        "ready": base.filter(status=wf.RESULT_READY).count(),
        "mine": base.filter(assignee=user).count(),
    }


QUEUE_FILTERS = {
    "qua-han": "Quá hạn",
    "den-han": "Đến hạn hôm nay",
    "cho-tiep-nhan": "Trực tuyến chờ tiếp nhận",
    "cho-tra": "Chờ trả kết quả",
    "tam-dung": "Tạm dừng / chờ bổ sung",
}


def _queue_filter(qs, loc: str, now):
    """The queue tiles' filters (same definitions as _queue_counts)."""
    today = timezone.localtime(now).date()
    if loc == "qua-han":
        return qs.filter(selectors.q_overdue_at(now))
    if loc == "den-han":
        return qs.filter(selectors.q_due_today(now, today))
    if loc == "cho-tiep-nhan":
        return qs.filter(status=wf.WAITING_ACCEPTANCE)
    if loc == "cho-tra":
        return qs.filter(status=wf.RESULT_READY)
    if loc == "tam-dung":
        return qs.filter(status__in=list(wf.PAUSED_STATES))
    return qs


@staff_required
def procedure_search(request):
    """(htmx) Search results for the intake box (selectors.desk_procedure_search: what this desk receives).

    Enter on the box opens a procedure only when the query names exactly one (desk.js); otherwise the
    officer walks the list with ↓/↑ and opens the highlighted one with Enter."""
    q = request.GET.get("q", "")
    found = selectors.desk_procedure_search(unit=_desk_unit(request.user), query=q)
    return render(request, "dossiers/_procedure_hits.html", {**found, "q": q})


@staff_required
@require_http_methods(["GET", "POST"])
def desk_intake(request, procedure_code: str):
    """Tiếp nhận hồ sơ: checklist, applicant, channel, result channel, fee → dossier_receive."""
    from cchc.catalog.models import Procedure

    unit = _desk_unit(request.user)
    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None:
        return _error_page(request, 404, "Không tìm thấy thủ tục", f"Không có thủ tục mã {procedure_code} trong danh mục.")
    if unit is None or not can(request.user, "process", unit):
        return _error_page(request, 403, "Không có quyền", "Bạn không có quyền tiếp nhận hồ sơ tại đơn vị này.")
    pp = services.published_procedure_for(unit=unit, procedure=procedure, on_date=timezone.localdate())
    _version, checklist = procedure_checklist(procedure=procedure, on_date=timezone.localdate())
    error = None
    if request.method == "POST":
        form = IntakeForm(request.POST, checklist=checklist)
        if form.is_valid():
            payment = None
            if pp is not None and pp.fee_amount and form.cleaned_data.get("payment_status"):
                payment = {"status": form.cleaned_data["payment_status"], "reference": form.cleaned_data.get("payment_reference", "")}
            try:
                dossier = services.dossier_receive(
                    actor=request.user, procedure=procedure, unit=unit, channel=form.cleaned_data["channel"],
                    applicant=form.applicant(), result_channel=form.cleaned_data["result_channel"],
                    documents=form.document_names(), payment=payment,
                )
            except DomainError as exc:
                error = exc
            else:
                missing = getattr(dossier, "missing_documents", [])
                if missing:
                    messages.warning(request, "Chưa nhận đủ thành phần bắt buộc: " + "; ".join(missing))
                messages.success(request, f"Đã tiếp nhận hồ sơ {dossier.code}.")
                return redirect("dossiers:receipt", code=dossier.code)
        else:
            error = DomainError("Vui lòng kiểm tra các trường được đánh dấu.", code="invalid")
    else:
        form = IntakeForm(checklist=checklist, initial={"documents": [str(r.pk) for r in checklist if r.mandatory]})
    template = "dossiers/_intake_form.html" if request.htmx and request.method == "GET" else "dossiers/intake.html"
    return render(request, template, {
        "procedure": procedure, "pp": pp, "checklist": checklist, "form": form, "error": error, "unit": unit,
        "fee_text": fee_label(amount=pp.fee_amount if pp else None, catalogue_text=procedure.fee_text),
    }, status=_status_for(error) if error else 200)


@staff_required
def receipt(request, code: str):
    """After intake: the dossier's code, token and due time, and the "In giấy tiếp nhận" button."""
    d = _scoped_dossier(request, code)
    return render(request, "dossiers/receipt.html", {"d": d, "badge": due_badge(d), "lookup_url": _lookup_url(request)})


@staff_required
def dossier_list(request):
    """Danh sách: tab=hang-cho (open, by urgency) | cua-toi (assigned to me) | don-vi (my unit's, all states)."""
    tab = request.GET.get("tab", "hang-cho")
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    now = timezone.now()
    qs = selectors.dossiers_for_user(request.user).select_related("procedure", "unit", "handling_unit", "assignee")
    if q:
        qs = qs.filter(
            Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(applicant_id_number=q) | Q(applicant_phone=q)
            | Q(procedure__code=q)
        )
    if tab == "cua-toi":
        qs = urgency_queryset(qs.filter(assignee=request.user, status__in=list(wf.OPEN_STATES)), now)
    elif tab == "don-vi":
        # Hồ sơ của đơn vị: received at or handled by a unit in my scope (the permission helper's scope).
        scoped = filter_by_scope(Dossier.objects.all(), request.user, "unit") | filter_by_scope(
            Dossier.objects.all(), request.user, "handling_unit"
        )
        qs = qs.filter(pk__in=scoped.values("pk"))
        if status:
            qs = qs.filter(status=status)
        qs = qs.order_by("-received_at", "-id")
    else:
        tab = "hang-cho"
        qs = urgency_queryset(_queue_filter(qs.filter(status__in=list(wf.OPEN_STATES)), request.GET.get("loc", ""), now), now)
    page = Paginator(qs, 50).get_page(request.GET.get("trang"))
    ctx = {
        "tab": tab, "q": q, "status": status, "page": page, "rows": _decorate(page.object_list, now),
        "loc": request.GET.get("loc", "") if tab == "hang-cho" else "", "queue_filters": QUEUE_FILTERS,
        "statuses": wf.STATUS_CHOICES, "counts": _queue_counts(request.user, now),
    }
    template = "dossiers/_dossier_rows.html" if request.htmx else "dossiers/list.html"
    return render(request, template, ctx)


AUDIT_LABELS = {
    "dossier.receive": "Tiếp nhận hồ sơ",
    "dossier.submit_online": "Nộp hồ sơ trực tuyến",
    "dossier.payment": "Ghi nhận phí, lệ phí",
    "dossier.attach": "Đính kèm tệp",
    "dossier.electronic_result": "Phát hành kết quả điện tử",
    "dossier.rate": "Người dân đánh giá",
}


def _audit_trail(d: Dossier):
    from cchc.core.models import AuditEvent

    events = list(AuditEvent.objects.filter(object_type=d._meta.label_lower, object_id=d.code).order_by("at", "id")[:500])
    for e in events:
        name = e.action.split(".", 1)[-1]
        e.label = AUDIT_LABELS.get(e.action) or wf.ACTION_LABELS.get(name) or e.action
        e.from_label = wf.STATUS_LABELS.get(e.from_state, e.from_state)
        e.to_label = wf.STATUS_LABELS.get(e.to_state, e.to_state)
    return events


def _detail_context(request, d: Dossier, *, forms_by_action=None, action_error=None, open_action=None) -> dict:
    now = timezone.now()
    allowed = wf.allowed_actions(d.status) if _can_process(request.user, d) else []
    if d.status == wf.RESULT_READY and wf.RETURN in allowed and services.is_late(d):
        allowed = [a for a in allowed if a != wf.RETURN]
    else:
        allowed = [a for a in allowed if a != wf.RETURN_LATE]
    actions = []
    forms_by_action = forms_by_action or {}
    for action in allowed:
        form = forms_by_action.get(action) or ActionForm(initial={"version": d.version})
        actions.append({
            "name": action, "label": wf.ACTION_LABELS[action], "fields": ACTION_FIELDS.get(action, []),
            "form": form, "danger": action in DANGER_ACTIONS, "open": action == open_action,
            "reason_required": action in wf.REASON_REQUIRED,
        })
    steps = list(d.steps.select_related("from_unit", "to_unit", "from_user", "to_user").order_by("seq"))
    for s in steps:
        s.late_open = selectors.is_step_late_open(s, now)
    for a in actions:
        if "handling_unit_code" in a["fields"]:
            f = a["form"]
            a["picker"] = _picker_context(
                d, action=a["name"], unit_code=(f["handling_unit_code"].value() or ""), assignee=(f["assignee"].value() or ""),
            )
    pdfs = [("kiem-soat", "Phiếu kiểm soát quá trình")]
    if d.received_at:
        pdfs.insert(0, ("giay-tiep-nhan", "Giấy tiếp nhận"))
    if d.pauses.filter(kind="supplement").exists():
        pdfs.append(("yeu-cau-bo-sung", "Phiếu yêu cầu bổ sung"))
    if d.status == wf.REJECTED:
        pdfs.append(("tu-choi", "Phiếu từ chối"))
    if d.apologies.exists():
        pdfs.append(("xin-loi", "Phiếu xin lỗi"))
    e_results = list(d.electronic_results.select_related("signatory").order_by("-issued_at"))
    signatories = selectors.unit_signatories(d.handling_unit or d.unit)
    can_issue = d.status in wf.SETTLED_STATES and _can_process(request.user, d)
    if action_error is not None:
        shown = {a["name"] for a in actions} | ({"e_result"} if can_issue else set())
        action_error["inline"] = action_error["action"] in shown
    return {
        "d": d, "badge": due_badge(d, now), "actions": actions, "steps": steps,
        "pauses": list(d.pauses.order_by("started_at")),
        "apologies": list(d.apologies.select_related("signatory", "issued_by", "document").order_by("issued_at")),
        "signatories": signatories, "signing_unit": d.handling_unit or d.unit,
        "docs": list(d.documents.order_by("id")), "e_results": e_results,
        "e_result_form": ElectronicResultForm(initial={"version": d.version}),
        "can_issue_result": can_issue,
        "audit": _audit_trail(d), "action_error": action_error, "pdfs": pdfs,
        "rating": getattr(d, "rating", None) if hasattr(d, "rating") else None,
        "lookup_url": _lookup_url(request),
        "extra_sections": [fn(request, d) for fn in DETAIL_SECTIONS],
    }


def _picker_context(d: Dossier, *, action: str, unit_code: str = "", assignee: str = "", unit_q: str = "",
                    officer_q: str = "", page=1) -> dict:
    """Hand-over picker: preferred units first, other units by search, officers of the chosen unit by search."""
    from cchc.units.models import Unit

    from . import pickers

    preferred = pickers.preferred_units(d)
    chosen = None
    if unit_code:
        chosen = Unit.objects.filter(code=unit_code).first()
    chosen = chosen or pickers.default_handover_unit(d)
    others = pickers.unit_search(dossier=d, q=unit_q) if unit_q else None
    shown = {u.pk for u in preferred} | ({u.pk for u in others.object_list} if others else set())
    officers = pickers.officers_for_unit(unit=chosen, q=officer_q, page=page)
    # the officer chosen before the redraw stays chosen while they may still process at the chosen unit
    kept = pickers.eligible_officer(unit=chosen, username=assignee)
    return {"action": action, "preferred": preferred, "others": others, "chosen": chosen,
            "chosen_hidden": chosen.pk not in shown, "officers": officers,
            "assignee": kept.username if kept else "", "assignee_user": kept,
            "assignee_hidden": kept is not None and kept.pk not in {o.pk for o in officers.object_list},
            "assignee_dropped": assignee if assignee and kept is None else "",
            "unit_q": unit_q, "officer_q": officer_q}


@staff_required
def handover_picker(request, code: str):
    """(htmx) The hand-over picker of one action form, redrawn when the unit or a search text changes."""
    d = _scoped_dossier(request, code)
    action = request.GET.get("action", wf.HANDOVER)
    if action not in (wf.ASSIGN, wf.HANDOVER):
        raise Http404
    ctx = _picker_context(
        d, action=action, unit_code=request.GET.get("handling_unit_code", "").strip(),
        assignee=request.GET.get("assignee", "").strip(), unit_q=request.GET.get("unit_q", "").strip(),
        officer_q=request.GET.get("officer_q", "").strip(), page=request.GET.get("trang") or 1,
    )
    return render(request, "dossiers/_handover_picker.html", {"d": d, "p": ctx})


# Sections higher apps add to the dossier page (callable(request, dossier) -> HTML), registered from their
# AppConfig.ready() (the dossier app never imports them), e.g. the applicant notices of cchc.integrations.
DETAIL_SECTIONS: list = []


def register_detail_section(fn) -> None:
    if fn not in DETAIL_SECTIONS:
        DETAIL_SECTIONS.append(fn)


@staff_required
def dossier_detail(request, code: str):
    """Chi tiết hồ sơ: data, allowed transitions as buttons, control sheet, pauses, apologies, audit trail."""
    d = _scoped_dossier(request, code)
    opened = request.GET.get("mo") if request.GET.get("mo") in wf.ALLOWED_TRANSITIONS else None
    return render(request, "dossiers/detail.html", _detail_context(request, d, open_action=opened))


@staff_required
@require_POST
def dossier_action(request, code: str, action: str):
    """POST one workflow action through services.dossier_transition; errors re-render the detail page."""
    d = _scoped_dossier(request, code)
    if action not in wf.ALLOWED_TRANSITIONS:
        raise Http404
    form = ActionForm(request.POST, request.FILES)
    error = None
    if not form.is_valid():
        first = next(iter(form.errors.items()))
        label = form.fields[first[0]].label if first[0] in form.fields else ""
        error = DomainError(f"{label}: {first[1][0]}" if label else str(first[1][0]), code="invalid", field=first[0])
    else:
        issue = action == wf.COMPLETE and form.cleaned_data.get("issue_electronic_result")
        try:
            d = services.dossier_transition(
                code=d.code, action=action, actor=request.user, version=form.cleaned_data["version"],
                reason=form.full_reason(), **form.params(),
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"{wf.ACTION_LABELS[action]}: đã thực hiện. Trạng thái: {d.status_label}.")
            if issue:
                try:
                    _issue_result(request, d, form.cleaned_data)
                except DomainError as exc:
                    messages.error(request, f"Đã có kết quả nhưng chưa phát hành được kết quả điện tử: {_friendly(exc)}")
                else:
                    messages.success(request, "Đã ký số và phát hành kết quả điện tử.")
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("dossiers:detail", args=[d.code])
                return response
            return redirect("dossiers:detail", code=d.code)
    # Error: reload the dossier (it may have changed), keep what the officer typed, show the message.
    d = Dossier.objects.select_related("procedure", "unit", "handling_unit", "assignee", "province").get(pk=d.pk)
    data = request.POST.copy()
    data["version"] = str(d.version)
    kept = ActionForm(data)
    kept.is_valid()
    ctx = _detail_context(request, d, forms_by_action={action: kept}, open_action=action,
                          action_error={"action": action, "message": _friendly(error), "field": error.field})
    return render(request, "dossiers/detail.html", ctx, status=_status_for(error))


def _issue_result(request, d: Dossier, data: dict):
    """Sign and issue the electronic result from the result fields of a form (uploaded PDF optional)."""
    upload = data.get("result_file")
    return results.electronic_result_issue(
        dossier=d, actor=request.user, source_pdf=upload.read() if upload else None,
        title=data.get("result_title", ""), number=data.get("result_number", ""),
        summary=data.get("result_summary", ""), lookup_url=_lookup_url(request), signatory=data.get("signatory") or None,
    )


@staff_required
@require_POST
def issue_electronic_result(request, code: str):
    """Phát hành kết quả điện tử for a settled dossier (optionally from an uploaded PDF)."""
    d = _scoped_dossier(request, code)
    form = ElectronicResultForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        try:
            _issue_result(request, d, form.cleaned_data)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "Đã ký số và phát hành kết quả điện tử.")
            return redirect("dossiers:detail", code=d.code)
    else:
        error = DomainError(next(iter(form.errors.values()))[0], code="invalid", field="result_file")
    ctx = _detail_context(request, d, action_error={"action": "e_result", "message": _friendly(error), "field": error.field})
    return render(request, "dossiers/detail.html", ctx, status=_status_for(error))


def _pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def dossier_pdf(request, code: str, slug: str):
    """Biểu mẫu PDF of a dossier (Mẫu 01–05/06)."""
    kind = PDF_KINDS.get(slug)
    if kind is None:
        raise Http404
    d = _scoped_dossier(request, code)
    if kind == "receipt" and not d.received_at:
        return _error_page(request, 409, "Chưa tiếp nhận", "Hồ sơ trực tuyến chưa được tiếp nhận nên chưa có giấy tiếp nhận.")
    if kind == "supplement" and not d.pauses.filter(kind="supplement").exists():
        return _error_page(request, 409, "Không có yêu cầu bổ sung", "Hồ sơ này chưa có yêu cầu bổ sung.")
    if kind == "rejection" and d.status != wf.REJECTED:
        return _error_page(request, 409, "Không bị từ chối", "Hồ sơ này không bị từ chối.")
    if kind == "apology" and not d.apologies.exists():
        return _error_page(request, 409, "Chưa có phiếu xin lỗi", "Hồ sơ này chưa có phiếu xin lỗi.")
    try:
        ctx = issuance.document_for_print(d, kind, actor=request.user, lookup_url=_lookup_url(request),
                                          doc_id=request.GET.get("so"))
    except NotFoundError:
        raise Http404 from None
    return _pdf_response(documents.render_pdf(kind, ctx), documents.filename_for(kind, d.code))


def _document_response(doc: DossierDocument):
    from . import storage

    if not storage.exists(doc.file_path):
        raise Http404
    return FileResponse(storage.open_file(doc.file_path), as_attachment=False,
                        filename=doc.original_name or Path(doc.file_path).name,
                        content_type=doc.content_type or "application/octet-stream")


@staff_required
def document_download(request, code: str, doc_id: int):
    d = _scoped_dossier(request, code)
    doc = d.documents.filter(pk=doc_id).first()
    if doc is None:
        raise Http404
    return _document_response(doc)


@staff_required
def result_download(request, code: str, result_id: int):
    d = _scoped_dossier(request, code)
    result = d.electronic_results.filter(pk=result_id).first()
    if result is None:
        raise Http404
    try:
        data = results.result_bytes(result)
    except NotFoundError:
        raise Http404 from None
    return _pdf_response(data, f"ket-qua-{d.code}.pdf", inline=False)


@staff_required
def register_export(request):
    """Sổ theo dõi hồ sơ: pick a unit and period; `?tai=1` downloads the XLSX."""
    from cchc.units.models import Unit

    user_unit = _desk_unit(request.user)
    today = timezone.localdate()
    initial = {"unit": user_unit.code if user_unit else "", "date_from": today.replace(day=1), "date_to": today}
    # the units whose register the user may open, the user's own unit included (scoping by "parent" left a
    # commune desk with an empty list, and the page then showed its code "80-001-MC" instead of its name);
    # a province has a few hundred units at most, so no cap hides one
    units = filter_by_scope(Unit.objects.filter(is_active=True), request.user, None).order_by("name")
    error = None
    if request.GET.get("tai"):
        form = RegisterForm(request.GET)
        if form.is_valid():
            unit = Unit.objects.filter(code=form.cleaned_data["unit"]).first()
            if unit is None:
                error = "Không có đơn vị mã này."
            elif not can(request.user, "view", unit):
                error = "Bạn không có quyền xem sổ của đơn vị này."
            else:
                start, end = selectors.period_bounds(form.cleaned_data["date_from"], form.cleaned_data["date_to"])
                qs = (
                    Dossier.objects.filter(Q(unit=unit) | Q(handling_unit=unit))
                    .filter(Q(received_at__gte=start, received_at__lt=end) | Q(received_at__isnull=True, submitted_at__gte=start, submitted_at__lt=end))
                    .select_related("procedure", "unit", "handling_unit")
                    .prefetch_related("steps", "pauses")
                    .order_by("received_at", "id")
                )
                spec = documents.form_spec("register", form.cleaned_data["date_to"])
                data = registers.write_register(
                    registers.register_rows(qs), unit_name=unit.name,
                    parent_name=unit.parent.name if unit.parent_id else "",
                    period_from=form.cleaned_data["date_from"], period_to=form.cleaned_data["date_to"],
                    form_number=spec.number if spec else "", circular=documents.catalogue_for(form.cleaned_data["date_to"]).circular,
                )
                response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                name = f"so-theo-doi-ho-so-{unit.code}-{form.cleaned_data['date_from']:%Y%m%d}-{form.cleaned_data['date_to']:%Y%m%d}.xlsx"
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
        else:
            error = "; ".join(e for errs in form.errors.values() for e in errs)
    else:
        form = RegisterForm(initial=initial)
    return render(request, "dossiers/register.html", {"form": form, "units": units, "error": error},
                  status=400 if error else 200)


# ---------------------------------------------------------------------------------------------- citizen portal

def portal_home(request):
    """Cổng dịch vụ công: procedures offered online (một phần / toàn trình), most filed first; the search box uses
    the public catalogue's search (selectors.online_services)."""
    from cchc.catalog import selectors as catalog
    from cchc.catalog.models import ProvinceProcedure

    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.online_services(query=q), 30).get_page(request.GET.get("trang"))
    rows = ProvinceProcedure.objects.select_related("procedure", "province", "desk", "handling_unit").in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    today = timezone.localdate()
    for pp in page.object_list:
        pp.choose_place = catalog.publication_needs_place_choice(pp)
        pp.filing_unit = None if pp.choose_place else catalog.publication_fixed_desk(pp)
        pp.can_file = pp.choose_place or (
            pp.filing_unit is not None
            and catalog.procedure_offered_at(unit=pp.filing_unit, procedure=pp.procedure, on_date=today, online=True) is not None
        )
    template = "dossiers/_portal_rows.html" if request.htmx else "dossiers/portal.html"
    return render(request, template, {"page": page, "q": q})


PLACE_PAGE_SIZE = 20


def _place_context(request, pp, *, error=None) -> dict:
    """The commune picker: communes of the province by folded name, 20 a page, never silently cut."""
    from cchc.catalog import selectors as catalog

    from . import online

    q = request.GET.get("q", "").strip()
    page = Paginator(catalog.communes_offering(pp=pp, q=q), PLACE_PAGE_SIZE).get_page(request.GET.get("trang"))
    return {"pp": pp, "q": q, "page": page, "error": error,
            "home": online.default_commune(user=request.user, pp=pp)}


def _portal_publication(pp_id: int):
    from cchc.catalog.models import ProvinceProcedure

    pp = ProvinceProcedure.objects.select_related("procedure", "province", "desk", "handling_unit").filter(pk=pp_id).first()
    if pp is None or pp.online_level not in ("partial", "full"):
        return None
    return pp


def portal_place(request, pp_id: int):
    """Chọn nơi nộp (htmx rows or the whole picker): communes that receive this commune-level procedure."""
    pp = _portal_publication(pp_id)
    if pp is None:
        return _error_page(request, 404, "Không có dịch vụ trực tuyến", "Thủ tục này không cung cấp dịch vụ công trực tuyến.")
    template = "dossiers/_place_rows.html" if request.htmx else "dossiers/portal_place.html"
    return render(request, template, _place_context(request, pp))


@login_required
@require_http_methods(["GET", "POST"])
def portal_file(request, pp_id: int):
    """Nộp hồ sơ trực tuyến: the place is settled first (picker for commune-level procedures, checked with
    procedure_offered_at), then the form; files sent with a refused form are kept (online.PendingUpload)
    and one form files one dossier however often it is posted (online.online_filing_submit)."""
    from cchc.catalog import selectors as catalog

    from . import online

    pp = _portal_publication(pp_id)
    if pp is None:
        return _error_page(request, 404, "Không có dịch vụ trực tuyến", "Thủ tục này không cung cấp dịch vụ công trực tuyến.")
    _version, checklist = procedure_checklist(procedure=pp.procedure, on_date=timezone.localdate())
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    chosen = source.get("noi", "").strip()
    if not chosen and request.method == "GET" and catalog.publication_needs_place_choice(pp) and not request.GET.get("doi"):
        home = online.default_commune(user=user, pp=pp)
        chosen = home.code if home is not None else ""
    if catalog.publication_needs_place_choice(pp) and not chosen:
        return render(request, "dossiers/portal_place.html", _place_context(request, pp))
    try:
        unit, commune = online.filing_place(pp=pp, chosen=chosen or None)
    except DomainError as exc:
        if catalog.publication_needs_place_choice(pp):
            return render(request, "dossiers/portal_place.html", _place_context(request, pp, error=exc), status=_status_for(exc))
        return _error_page(request, _status_for(exc), "Chưa tiếp nhận trực tuyến", _friendly(exc))
    error = None
    if request.method == "POST":
        form = OnlineFilingForm(request.POST)
        try:
            token = online.clean_form_token(request.POST.get("form_token"))
        except DomainError as exc:
            token, error = online.new_form_token(), exc
        if error is None:
            error = _keep_uploads(request, user=user, token=token, checklist=checklist)
        if error is None and not form.is_valid():
            first = next(iter(form.errors.items()))
            label = form.fields[first[0]].label if first[0] in form.fields else ""
            error = DomainError(f"{label}: {first[1][0]}", code="invalid", field=first[0])
        if error is None:
            try:
                d, replayed = online.online_filing_submit(
                    user=user, pp=pp, unit=unit, applicant=form.applicant(),
                    result_channel=form.cleaned_data["result_channel"], form_token=token, checklist=checklist,
                )
            except DomainError as exc:
                error = exc
            else:
                if not replayed:
                    messages.success(request, f"Đã nộp hồ sơ {d.code}. Mã tra cứu: {d.lookup_token}. Hồ sơ đang chờ tiếp nhận.")
                return redirect("dossiers:portal_dossier", code=d.code)
    else:
        token = online.new_form_token()
        form = OnlineFilingForm(initial={
            "applicant_kind": "organisation" if getattr(user, "is_organisation", False) else "person",
            "applicant_name": user.display_name() if hasattr(user, "display_name") else user.get_username(),
            "applicant_id_number": getattr(user, "id_number", ""), "applicant_phone": getattr(user, "phone", ""),
            "applicant_email": user.email,
        })
    kept = online.pending_uploads(user=user, form_token=token)
    kept_by_req = {p.required_document_id: p for p in kept if p.required_document_id}
    rows = [{"req": r, "kept": kept_by_req.get(r.pk)} for r in checklist]
    return render(request, "dossiers/portal_file.html", {
        "pp": pp, "form": form, "checklist": rows, "error": error, "unit": unit, "commune": commune,
        "form_token": token, "kept_other": [p for p in kept if p.slot == "other"],
        "choose_place": catalog.publication_needs_place_choice(pp),
        "max_mb": services.MAX_UPLOAD_BYTES // (1024 * 1024),
    }, status=_status_for(error) if error else 200)


def _keep_uploads(request, *, user, token: str, checklist) -> DomainError | None:
    """Store every file of the POST as a pending upload of the form; the first refusal is returned (others kept)."""
    from . import online

    first_error = None
    for req in checklist:
        upload = request.FILES.get(f"file_{req.pk}")
        if upload is None:
            continue
        try:
            online.pending_upload_store(user=user, form_token=token, slot=f"req:{req.pk}", name=req.name,
                                        uploaded_file=upload, required_document_id=req.pk)
        except DomainError as exc:
            first_error = first_error or exc
    for upload in request.FILES.getlist("file_other"):
        try:
            online.pending_upload_store(user=user, form_token=token, slot="other", name=upload.name, uploaded_file=upload)
        except DomainError as exc:
            first_error = first_error or exc
    for pk in request.POST.getlist("remove_kept"):
        if str(pk).isdigit():
            online.pending_upload_remove(user=user, form_token=token, pk=int(pk))
    return first_error


def applicant_document_attach(*, dossier: Dossier, user, uploaded_file, name: str = "") -> DossierDocument:
    """Tệp do người nộp tải lên (own dossier, while it waits for acceptance or a supplement).

    Thin service written here because D1's dossier_attach_document is for staff ("process" permission).
    Same checks as D1's: size ≤ services.MAX_UPLOAD_BYTES, type decided by content (services._detect_type);
    stored by the same services.document_store (sha256, uuid file name under MEDIA_ROOT, audit "dossier.attach").
    """
    ext, content_type = services.upload_check(uploaded_file, field="file")
    with transaction.atomic():
        d = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if d.applicant_user_id is None or d.applicant_user_id != user.pk:
            raise ForbiddenError("Bạn chỉ tải tệp lên hồ sơ của mình.", code="forbidden")
        if d.status not in (wf.WAITING_ACCEPTANCE, wf.SUPPLEMENT_REQUESTED):
            raise ConflictError("Chỉ tải tệp khi hồ sơ chờ tiếp nhận hoặc đang được yêu cầu bổ sung.", code="dossier_locked")
        doc = services.document_store(dossier=d, uploaded_file=uploaded_file, ext=ext, content_type=content_type, name=name,
                                      kind=DossierDocument.KIND_INPUT, user=user, audit_data={"by": "applicant"})
    return doc


def applicant_payment_record(*, dossier: Dossier, user, reference: str, version=None) -> Dossier:
    """Thanh toán trực tuyến by the applicant: records the payment reference (status paid_online).

    Thin service written here because D1's dossier_record_payment is for staff. Audited as "dossier.payment".
    """
    reference = str(reference or "").strip()
    if not reference:
        raise DomainError("reference: bắt buộc nhập mã giao dịch thanh toán.", code="required", field="reference")
    with transaction.atomic():
        d = rollups.track(Dossier.objects.select_for_update().get(pk=dossier.pk))
        if d.applicant_user_id is None or d.applicant_user_id != user.pk:
            raise ForbiddenError("Bạn chỉ thanh toán cho hồ sơ của mình.", code="forbidden")
        if version not in (None, "") and int(version) != d.version:
            raise ConflictError("Hồ sơ vừa được cập nhật; hãy tải lại trang.", code="stale_version")
        if not d.fee_amount:
            raise ConflictError("Thủ tục này không thu phí, lệ phí.", code="no_fee")
        if d.payment_status not in (PaymentStatus.UNPAID,):
            raise ConflictError(f"Phí, lệ phí đã ở trạng thái “{d.get_payment_status_display()}”.", code="already_paid")
        if d.status in wf.FINAL_STATES:
            raise ConflictError("Hồ sơ đã kết thúc.", code="dossier_closed")
        before = d.payment_status
        d.payment_status = PaymentStatus.PAID_ONLINE
        d.payment_reference = reference[:80]
        d.paid_at = timezone.now()
        d.version += 1
        d.updated_by = user
        d.save()
        rollups.sync(d)
        audit_record(actor=user, action="dossier.payment", obj=d, from_state=d.status, to_state=d.status,
                     data={"from": before, "to": d.payment_status, "reference": d.payment_reference, "by": "applicant"})
    return d


@login_required
def portal_my_dossiers(request):
    """Hồ sơ của tôi."""
    qs = Dossier.objects.filter(applicant_user=request.user).select_related("procedure", "unit").order_by("-submitted_at", "-received_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    return render(request, "dossiers/portal_mine.html", {"page": page, "rows": _decorate(page.object_list)})


def _own_dossier(request, code: str) -> Dossier:
    d = Dossier.objects.select_related("procedure", "unit", "handling_unit").filter(code=code, applicant_user=request.user).first()
    if d is None:
        raise Http404
    return d


@login_required
@require_http_methods(["GET", "POST"])
def portal_dossier(request, code: str):
    """One of my dossiers: status, documents, upload a supplement, pay, download the e-result."""
    d = _own_dossier(request, code)
    error = None
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "pay":
                form = PaymentForm(request.POST)
                if not form.is_valid():
                    raise DomainError("reference: bắt buộc nhập mã giao dịch thanh toán.", code="required", field="reference")
                applicant_payment_record(dossier=d, user=request.user, reference=form.cleaned_data["reference"],
                                         version=form.cleaned_data.get("version"))
                messages.success(request, "Đã ghi nhận thanh toán trực tuyến.")
            elif what == "upload":
                files = request.FILES.getlist("files")
                if not files:
                    raise DomainError("file: chưa chọn tệp.", code="required", field="file")
                with transaction.atomic():
                    for f in files:
                        applicant_document_attach(dossier=d, user=request.user, uploaded_file=f,
                                                  name=request.POST.get("name", "") or f.name)
                messages.success(request, f"Đã tải lên {len(files)} tệp.")
            else:
                raise DomainError("Thao tác không hợp lệ.", code="invalid")
        except DomainError as exc:
            error = exc
        else:
            return redirect("dossiers:portal_dossier", code=d.code)
        d = _own_dossier(request, code)
    status = selectors.public_status(d)
    result = results.latest_result(d)
    check = results.electronic_result_verify(result) if result else None
    return render(request, "dossiers/portal_dossier.html", {
        "d": d, "st": status, "badge": due_badge(d), "docs": list(d.documents.order_by("id")), "result": result,
        "check": check, "error": error, "pay_form": PaymentForm(initial={"version": d.version}),
        "can_upload": d.status in (wf.WAITING_ACCEPTANCE, wf.SUPPLEMENT_REQUESTED),
        "can_pay": bool(d.fee_amount) and d.payment_status == PaymentStatus.UNPAID and d.status not in wf.FINAL_STATES,
    }, status=_status_for(error) if error else 200)


@login_required
def portal_receipt(request, code: str):
    """Giấy tiếp nhận of my own dossier, once the desk has accepted it."""
    d = _own_dossier(request, code)
    if not d.received_at:
        return _error_page(request, 409, "Chưa tiếp nhận", "Hồ sơ đang chờ cán bộ tiếp nhận; giấy tiếp nhận có sau khi tiếp nhận.")
    ctx = issuance.document_for_print(d, "receipt", actor=request.user, lookup_url=_lookup_url(request))
    return _pdf_response(documents.render_pdf("receipt", ctx), documents.filename_for("receipt", d.code))


@login_required
def portal_result_download(request, code: str):
    d = _own_dossier(request, code)
    result = results.latest_result(d)
    if result is None:
        raise Http404
    try:
        return _pdf_response(results.result_bytes(result), f"ket-qua-{d.code}.pdf", inline=False)
    except NotFoundError:
        raise Http404 from None


# ---------------------------------------------------------------------------------------------- public lookup

LOOKUP_SESSION_KEY = "dossier_lookups"


def _remember_lookup(request, code: str, token: str) -> None:
    seen = dict(request.session.get(LOOKUP_SESSION_KEY, {}))
    seen[code] = token
    request.session[LOOKUP_SESSION_KEY] = dict(list(seen.items())[-20:])


def _lookup_render(request, form, *, d=None, error=None, rating_form=None, rating_error=None, status=200):
    ctx = {"form": form, "error": error, "d": d, "rating_error": rating_error}
    if d is not None:
        ctx["st"] = selectors.public_status(d)
        ctx["badge"] = due_badge(d)
        result = results.latest_result(d)
        ctx["result"] = result
        ctx["check"] = results.electronic_result_verify(result) if result else None
        ctx["rating"] = getattr(d, "rating", None) if selectors.hasattr_rating(d) else None
        ctx["rating_form"] = rating_form or RatingForm(initial={"code": d.code, "token": d.lookup_token})
        ctx["token"] = d.lookup_token
    return render(request, "dossiers/lookup.html", ctx, status=status)


def _lookup_rate() -> tuple[int, int]:
    """(requests, seconds) allowed per client for the public lookup (same setting as the public API)."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get("public_lookup") or "30/min"
    count, _, period = str(rate).partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get((period or "m")[0], 60)
    try:
        return max(1, int(count)), seconds
    except ValueError:
        return 30, 60


def _lookup_throttled(request) -> bool:
    """Count one public lookup for this client; True when over the rate (guessing tokens is not free)."""
    from django.core.cache import cache

    from cchc.core.clientip import client_ip

    limit, seconds = _lookup_rate()
    client = client_ip(request)
    key = f"dossiers:lookup:{client}:{int(timezone.now().timestamp()) // seconds}"
    cache.add(key, 0, seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > limit


@require_http_methods(["GET", "POST"])
def lookup(request):
    """Tra cứu hồ sơ (no login): code + token → status, due date, current step, e-result and its check."""
    source = request.POST if request.method == "POST" else request.GET
    if not source.get("code"):
        return _lookup_render(request, LookupForm())
    if _lookup_throttled(request):
        return _lookup_render(request, LookupForm(source), error="Bạn tra cứu quá nhiều lần; vui lòng thử lại sau ít phút.",
                              status=429)
    form = LookupForm(source)
    if not form.is_valid():
        return _lookup_render(request, form, error="Nhập mã hồ sơ và mã tra cứu in trên giấy tiếp nhận.", status=400)
    try:
        d = selectors.public_dossier(code=form.cleaned_data["code"], token=form.cleaned_data["token"])
    except NotFoundError as exc:
        return _lookup_render(request, form, error=exc.message, status=404)
    _remember_lookup(request, d.code, d.lookup_token)
    return _lookup_render(request, form, d=d)


@require_POST
def lookup_rate(request):
    """Đánh giá sau khi nhận kết quả (D1's dossier_rate; one rating per dossier)."""
    if _lookup_throttled(request):
        return _error_page(request, 429, "Quá nhiều yêu cầu", "Bạn thao tác quá nhiều lần; vui lòng thử lại sau ít phút.")
    rating_form = RatingForm(request.POST)
    code = request.POST.get("code", "")
    token = request.POST.get("token", "")
    form = LookupForm({"code": code, "token": token})
    form.is_valid()
    try:
        d = selectors.public_dossier(code=code, token=token)
    except NotFoundError as exc:
        return _lookup_render(request, form, error=exc.message, status=404)
    if not rating_form.is_valid():
        return _lookup_render(request, form, d=d, rating_form=rating_form,
                              rating_error="Hãy chọn mức độ hài lòng chung (1–5 sao).", status=400)
    try:
        services.dossier_rate(code=code, token=token, overall=int(rating_form.cleaned_data["overall"]),
                              aspects=rating_form.aspects(), comment=rating_form.cleaned_data.get("comment", ""))
    except DomainError as exc:
        return _lookup_render(request, form, d=d, rating_form=rating_form, rating_error=_friendly(exc), status=_status_for(exc))
    messages.success(request, "Cảm ơn ông/bà đã đánh giá.")
    return redirect(f"{reverse('dossiers:lookup')}?code={d.code}&token={d.lookup_token}")


def lookup_result_download(request):
    """Download the signed e-result with code + token (the link on the lookup page)."""
    if _lookup_throttled(request):
        return _error_page(request, 429, "Quá nhiều yêu cầu", "Bạn tra cứu quá nhiều lần; vui lòng thử lại sau ít phút.")
    try:
        d = selectors.public_dossier(code=request.GET.get("code", ""), token=request.GET.get("token", ""))
    except NotFoundError:
        raise Http404 from None
    result = results.latest_result(d)
    if result is None:
        raise Http404
    try:
        return _pdf_response(results.result_bytes(result), f"ket-qua-{d.code}.pdf", inline=False)
    except NotFoundError:
        raise Http404 from None


def verify_upload(request):
    """Kiểm tra một tệp kết quả điện tử bất kỳ (upload a PDF, see whether our signature on it holds)."""
    check = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if _lookup_throttled(request):  # checking a signature costs CPU: same per-client limit as the lookup
            return render(request, "dossiers/verify.html", {"check": None, "error": "Bạn thao tác quá nhiều lần; vui lòng thử lại sau ít phút."},
                          status=429)
        if upload is None:
            error = "Chưa chọn tệp."
        elif upload.size > results.MAX_RESULT_BYTES:
            error = "Tệp quá lớn (tối đa 20 MB)."
        else:
            check = results.verify_bytes(upload.read())
    from . import signing

    return render(request, "dossiers/verify.html", {"check": check, "error": error, "root": signing.trust_root()},
                  status=400 if error else 200)

