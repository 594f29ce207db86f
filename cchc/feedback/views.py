"""Pages: the citizen's form and list, the staff inbox and detail (htmx actions), the public page, dialogues.

Views only parse input, call one service or selector and render; DomainError messages are shown to the user.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.accounts.models import Role
from cchc.core.errors import DomainError

from . import access, selectors, services
from .models import Kind, Status, Subject


def _is_staff(user) -> bool:
    return getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)


def _province_of(user):
    return user.unit.province_unit if getattr(user, "unit_id", None) else None


def _default_province(dossier=None):
    from cchc.units.models import Unit

    if dossier is not None:
        return dossier.province
    return Unit.objects.filter(province__isnull=True, is_active=True).order_by("code").first()


@login_required
def file_form(request):
    """Gửi phản ánh, kiến nghị (citizen, on the portal) — from a procedure page (?thu-tuc=) or a dossier (?ho-so=)."""
    from cchc.catalog.models import Procedure
    from cchc.dossiers.models import Dossier

    user = request.user
    if user.role != Role.CITIZEN:
        raise PermissionDenied
    src = request.POST if request.method == "POST" else request.GET
    dossier = None
    if src.get("ho-so"):
        dossier = Dossier.objects.filter(code=src["ho-so"], applicant_user=user).select_related("procedure", "province").first()
        if dossier is None:
            raise Http404
    procedure = dossier.procedure if dossier else Procedure.objects.filter(code=src.get("thu-tuc") or "").first()
    error = None
    values = {"kind": src.get("kind", Kind.REFLECTION), "title": src.get("title", ""), "content": src.get("content", ""),
              "sender_address": src.get("sender_address", "")}
    if request.method == "POST":
        try:
            fb = services.feedback_file(
                actor=user, province=_default_province(dossier), kind=values["kind"], title=values["title"], content=values["content"],
                sender_address=values["sender_address"], procedure=procedure, dossier=dossier,
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"Đã gửi phản ánh, kiến nghị {fb.code}. Hạn trả lời: {fb.due_date:%d/%m/%Y}.")
            return redirect("feedback:detail", pk=fb.pk)
    return render(request, "feedback/file.html", {
        "dossier": dossier, "procedure": procedure, "kinds": Kind.choices, "values": values, "error": error,
        "answer_days": services.answer_days(),
    }, status=400 if error else 200)


@login_required
def mine(request):
    """Phản ánh của tôi."""
    if request.user.role != Role.CITIZEN:
        return redirect("feedback:inbox")
    items = selectors.feedback_for(request.user).order_by("-received_at")
    return render(request, "feedback/mine.html", {"items": items, "today": timezone.localdate()})


@login_required
def inbox(request):
    """Hộp thư phản ánh của cán bộ: filters (status, unit), open overdue first."""
    user = request.user
    if user.role == Role.CITIZEN and not user.is_superuser:
        return redirect("feedback:mine")
    if not _is_staff(user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    unit_id = request.GET.get("unit", "")
    qs = selectors.inbox(user, status=status, unit_id=unit_id)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    from cchc.units.models import Unit

    province = _province_of(user)
    units = Unit.objects.filter(pk__in=selectors.feedback_for(user).exclude(unit=None).values("unit_id")).order_by("name")
    counts = None
    if province is not None and user.role in (Role.PAR_OFFICE, Role.PROVINCE_LEADER):
        today = timezone.localdate()
        counts = selectors.feedback_counts(province, today.replace(month=1, day=1), today)
    return render(request, "feedback/inbox.html", {
        "page": page, "status": status, "unit_id": unit_id, "statuses": [*Status.choices, ("overdue", "Quá hạn (đang xử lý)")],
        "units": units, "today": timezone.localdate(), "counts": counts,
    })


def _detail_context(request, fb):
    from cchc.units.models import Unit, UnitKind

    user = request.user
    ctx = {
        "fb": fb, "personal": access.personal(user, fb), "today": timezone.localdate(),
        "can_triage": access.can_triage(user, fb), "can_answer": access.can_answer(user, fb) and fb.status == Status.ROUTED,
        "can_publish": access.can_publish(user, fb) and fb.status == Status.ANSWERED,
        "subjects": Subject.choices, "kinds": Kind.choices, "is_staff": _is_staff(user),
    }
    if ctx["can_triage"]:
        ctx["units"] = Unit.objects.filter(province=fb.province, is_active=True).exclude(kind=UnitKind.ONE_STOP_DESK).order_by("kind", "name")
    return ctx


@login_required
def detail(request, pk: int):
    fb = selectors.feedback_for(request.user).filter(pk=pk).first()
    if fb is None:
        raise Http404
    return render(request, "feedback/detail.html", _detail_context(request, fb))


ACT_DONE = {"route": "Đã phân loại và chuyển đơn vị xử lý.", "answer": "Đã gửi trả lời.", "reject": "Đã ghi không thuộc phạm vi xử lý.",
            "publish": "Đã công khai kết quả trả lời."}


@login_required
@require_POST
def act(request, pk: int, action: str):
    """One staff action (classify+route / answer / reject / publish); htmx swaps the action panel."""
    from cchc.units.models import Unit

    fb = selectors.feedback_for(request.user).filter(pk=pk).first()
    if fb is None:
        raise Http404
    p = request.POST
    error = None
    try:
        if action == "route":
            unit = Unit.objects.filter(pk=p.get("unit")).first() if (p.get("unit") or "").isdigit() else None
            if unit is None:
                raise DomainError("unit: bắt buộc chọn đơn vị xử lý.", field="unit")
            if fb.status == Status.RECEIVED:
                services.feedback_classify(actor=request.user, feedback_id=fb.pk, subject=p.get("subject", ""), field=p.get("field", ""),
                                           kind=p.get("kind") or None)
            services.feedback_route(actor=request.user, feedback_id=fb.pk, unit=unit, note=p.get("note", ""))
        elif action == "answer":
            services.feedback_answer(actor=request.user, feedback_id=fb.pk, answer=p.get("answer", ""))
        elif action == "reject":
            services.feedback_reject(actor=request.user, feedback_id=fb.pk, reason=p.get("reason", ""))
        elif action == "publish":
            services.feedback_publish(actor=request.user, feedback_id=fb.pk, public_summary=p.get("public_summary", ""))
        else:
            raise Http404
    except DomainError as exc:
        error = exc
    fb = selectors.feedback_for(request.user).filter(pk=pk).first()
    if fb is None:  # routed away from the actor's scope: back to the inbox
        messages.success(request, "Đã chuyển phản ánh.")
        return redirect("feedback:inbox")
    if request.htmx and error is None:
        # the whole page changes (status, unit, answer, dates), not only the action panel: reload it
        messages.success(request, ACT_DONE.get(action, "Đã lưu."))
        return HttpResponse(status=204, headers={"HX-Redirect": reverse("feedback:detail", args=[fb.pk])})
    ctx = _detail_context(request, fb)
    ctx["error"] = error
    if request.htmx:
        return render(request, "feedback/_panel.html", ctx, status=200)
    if error is None:
        messages.success(request, ACT_DONE.get(action, "Đã lưu."))
        return redirect("feedback:detail", pk=fb.pk)
    return render(request, "feedback/detail.html", ctx, status=400)


def public(request):
    """Kết quả trả lời phản ánh, kiến nghị đã công khai (no login)."""
    page = Paginator(selectors.published(), 20).get_page(request.GET.get("page"))
    for f in page.object_list:
        f.public_answer = access.public_text(f, f.answer)
    return render(request, "feedback/public.html", {"page": page})


# ------------------------------------------------------------------ dialogues
@login_required
def dialogue_list(request):
    if not _is_staff(request.user):
        raise PermissionDenied
    items = selectors.dialogues_for(request.user).prefetch_related("issues", "follow_ups")
    province = _province_of(request.user)
    can_create = request.user.is_system_admin or request.user.role in (Role.PAR_OFFICE, Role.UNIT_HEAD)
    return render(request, "feedback/dialogues.html", {"items": items, "can_create": can_create, "province": province})


@login_required
def dialogue_detail(request, pk: int):
    d = selectors.dialogues_for(request.user).filter(pk=pk).prefetch_related("issues__feedback", "follow_ups__unit").first()
    if d is None:
        raise Http404
    return render(request, "feedback/dialogue.html", {"d": d, "today": timezone.localdate()})


@login_required
def dialogue_create(request):
    from cchc.units.models import Unit

    user = request.user
    if not _is_staff(user):
        raise PermissionDenied
    province = _province_of(user)
    units = Unit.objects.filter(pk__in=[u.pk for u in Unit.objects.filter(province=province, is_active=True).order_by("name")
                                         if access.can_manage_dialogues(user, u)]).order_by("name") if province else Unit.objects.none()
    error = None
    p = request.POST
    if request.method == "POST":
        unit = units.filter(pk=p.get("unit")).first() if (p.get("unit") or "").isdigit() else None
        issues = [{"raised_by": r, "content": c, "answer": a, "as_feedback": bool(f)} for r, c, a, f in zip(
            p.getlist("issue_raised_by"), p.getlist("issue_content"), p.getlist("issue_answer"),
            [p.get(f"issue_as_feedback_{i}") for i in range(len(p.getlist("issue_content")))], strict=False) if c.strip()]
        follow_ups = [{"content": c, "unit": u, "deadline": dl} for c, u, dl in zip(
            p.getlist("fu_content"), p.getlist("fu_unit"), p.getlist("fu_deadline"), strict=False) if c.strip()]
        try:
            d = services.dialogue_record(actor=user, unit=unit, held_on=p.get("held_on", ""), title=p.get("title", ""),
                                         chaired_by=p.get("chaired_by", ""), participants_count=p.get("participants_count") or 0,
                                         location=p.get("location", ""), summary=p.get("summary", ""), issues=issues, follow_ups=follow_ups)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "Đã ghi nhận hội nghị đối thoại.")
            return redirect(reverse("feedback:dialogue", args=[d.pk]))
    return render(request, "feedback/dialogue_form.html", {"units": units, "error": error, "p": p, "rows": range(3),
                                                           "all_units": Unit.objects.filter(province=province, is_active=True).order_by("name") if province else []},
                  status=400 if error else 200)



