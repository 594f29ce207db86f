"""Queue pages: kiosk (no login), TV board (no login), online booking (citizens), counter officer, statistics."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cchc.accounts.permissions import can
from cchc.core.dateparams import date_range
from cchc.core.errors import DomainError
from cchc.core.xlsx import workbook_bytes
from cchc.units.models import Unit

from . import selectors, services
from .models import Channel, Counter, FieldGroup, Ticket, TicketStatus


def _centre(code: str) -> Unit:
    centre = Unit.objects.filter(code=code, queue_groups__isnull=False).distinct().first()
    if centre is None:
        raise Http404("Không tìm thấy trung tâm có hệ thống lấy số.")
    return centre


def _groups(centre):
    return list(FieldGroup.objects.filter(centre=centre, is_active=True).order_by("position", "prefix"))


def centre_list(request):
    centres = Unit.objects.filter(queue_groups__isnull=False).distinct().order_by("code")
    return render(request, "counters/centres.html", {"centres": centres})


@require_http_methods(["GET", "POST"])
def kiosk(request, code):
    """Máy lấy số: choose a field group, get a number. No login (the kiosk stands on the floor)."""
    centre = _centre(code)
    error = None
    if request.method == "POST":
        try:
            ticket = services.ticket_issue(centre=centre, group_id=request.POST.get("group"), channel=Channel.KIOSK)
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("counters:kiosk_ticket", code=centre.code, pk=ticket.pk)
    groups = _groups(centre)
    waiting = {g.pk: 0 for g in groups}
    for gid in Ticket.objects.filter(centre=centre, day=timezone.localdate(), status=TicketStatus.WAITING, appointment_start__isnull=True).values_list("group_id", flat=True):
        waiting[gid] = waiting.get(gid, 0) + 1
    rows = [{"group": g, "waiting": waiting.get(g.pk, 0)} for g in groups]
    is_open = selectors.is_open(selectors.centre_calendar(centre), timezone.now())
    return render(request, "counters/kiosk.html", {
        "centre": centre, "rows": rows, "error": error, "closed": not is_open and not settings.QUEUE_KIOSK_ALWAYS_OPEN,
        "demo_open": not is_open and settings.QUEUE_KIOSK_ALWAYS_OPEN}, status=400 if error else 200)


def kiosk_ticket(request, code, pk):
    centre = _centre(code)
    ticket = get_object_or_404(Ticket.objects.select_related("group"), pk=pk, centre=centre, channel=Channel.KIOSK,
                               day=timezone.localdate())
    return render(request, "counters/ticket.html", {"centre": centre, "t": selectors.ticket_view(ticket), "kiosk": True})


def board(request, code):
    """Bảng hiển thị for a TV: htmx re-fetches the live frame every settings.QUEUE_BOARD_POLL_MS (2.5 s by
    default); board.js speaks new calls."""
    centre = _centre(code)
    poll_ms = max(500, int(getattr(settings, "QUEUE_BOARD_POLL_MS", 2500)))
    return render(request, "counters/board.html", {"centre": centre, "state": selectors.board_state(centre=centre),
                                                   "poll_ms": poll_ms})


def board_frame(request, code):
    """The board's live part, fetched by htmx every 2.5 s: a short request, no worker held (docs/counters.md)."""
    centre = _centre(code)
    resp = render(request, "counters/_board_frame.html", {"state": selectors.board_state(centre=centre)})
    resp["Cache-Control"] = "no-store"
    return resp


@login_required
@require_http_methods(["GET", "POST"])
def online(request):
    """Lấy số / đặt lịch trực tuyến: pick a centre, field group and day, then a free 30-minute slot."""
    centres = list(Unit.objects.filter(queue_groups__isnull=False).distinct().order_by("code"))
    centre = next((c for c in centres if c.code == (request.POST.get("centre") or request.GET.get("centre"))), centres[0] if centres else None)
    groups = _groups(centre) if centre else []
    error = None
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day") or request.POST.get("day") or "")
    except ValueError:
        day = today
    group = next((g for g in groups if str(g.pk) == (request.POST.get("group") or request.GET.get("group"))), groups[0] if groups else None)
    if request.method == "POST" and centre:
        try:
            slot = datetime.fromisoformat(request.POST.get("slot") or "")
        except ValueError:
            error = "slot: giờ hẹn không hợp lệ."
        else:
            if slot.tzinfo is None:
                slot = timezone.make_aware(slot)
            try:
                ticket = services.ticket_issue(centre=centre, group_id=request.POST.get("group"), channel=Channel.ONLINE,
                                               appointment_start=slot, citizen=request.user)
            except DomainError as exc:
                error = exc.message
            else:
                return redirect("counters:online_ticket", pk=ticket.pk)
    days = [today + timedelta(days=i) for i in range(services.BOOKING_DAYS_AHEAD + 1)]
    slot_rows = selectors.slots(group=group, day=day) if group else []
    if group and not (request.GET.get("day") or request.POST.get("day")) and not any(r["available"] for r in slot_rows):
        # no day chosen and nothing left today (a weekend, a holiday, after hours): open on the first day with a free slot
        for d in days[1:]:
            rows = selectors.slots(group=group, day=d)
            if any(r["available"] for r in rows):
                day, slot_rows = d, rows
                break
    mine = Ticket.objects.filter(citizen=request.user, day__gte=today).select_related("group", "centre").order_by("day", "appointment_start")[:10]
    return render(request, "counters/online.html", {
        "centres": centres, "centre": centre, "groups": groups, "group": group, "day": day, "days": days,
        "slots": slot_rows, "error": error, "mine": mine,
    }, status=400 if error else 200)


@login_required
def online_ticket(request, pk):
    ticket = get_object_or_404(Ticket.objects.select_related("group", "centre"), pk=pk, citizen=request.user)
    return render(request, "counters/ticket.html", {"centre": ticket.centre, "t": selectors.ticket_view(ticket), "kiosk": False})


def _officer_counters(user):
    return [c for c in Counter.objects.filter(is_active=True).select_related("centre").order_by("centre__code", "number")
            if can(user, "process", c.centre)]


@login_required
def officer_home(request):
    counters = _officer_counters(request.user)
    centres = [c for c in selectors.centres_for(request.user)]
    if not counters and not centres:
        raise PermissionDenied
    return render(request, "counters/officer_home.html", {"counters": counters, "centres": centres})


@login_required
@require_http_methods(["GET", "POST"])
def officer_counter(request, pk):
    """Màn hình quầy: call next, recall, start, skip, transfer, finish; each action checks the ticket version."""
    counter = get_object_or_404(Counter.objects.select_related("centre"), pk=pk, is_active=True)
    if not can(request.user, "process", counter.centre):
        raise PermissionDenied
    error, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "call_next":
                services.counter_call_next(counter_id=counter.pk, actor=request.user)
            else:
                services.ticket_act(
                    ticket_id=int(request.POST.get("ticket") or 0), action=action, actor=request.user,
                    version=int(request.POST.get("version") or 0),
                    target_counter_id=int(request.POST["target_counter"]) if request.POST.get("target_counter") else None,
                    target_group_id=int(request.POST["target_group"]) if request.POST.get("target_group") else None,
                    dossier_code=request.POST.get("dossier", ""),
                )
        except DomainError as exc:
            error, status = exc.message, exc.status_code
        except ValueError:
            error, status = "Dữ liệu không hợp lệ: ticket, version phải là số.", 400
        else:
            return redirect("counters:officer", pk=counter.pk)
    current = Ticket.objects.filter(counter=counter, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]).select_related("group").first()
    today = timezone.localdate()
    group_ids = list(counter.groups.values_list("pk", flat=True))
    waiting = Ticket.objects.filter(centre=counter.centre, day=today, status=TicketStatus.WAITING, group_id__in=group_ids).count()
    recent_dossiers = []
    if current is not None:
        from cchc.dossiers.models import Dossier

        recent_dossiers = list(Dossier.objects.filter(unit=counter.centre, received_at__gte=current.called_at).order_by("-received_at")[:10])
    done = Ticket.objects.filter(counter=counter, day=today).exclude(status__in=[TicketStatus.CALLED, TicketStatus.SERVING]).select_related("dossier").order_by("-finished_at")[:10]
    return render(request, "counters/officer.html", {
        "counter": counter, "current": current, "waiting": waiting, "error": error, "done": done,
        "other_counters": Counter.objects.filter(centre=counter.centre, is_active=True).exclude(pk=counter.pk).order_by("number"),
        "groups": _groups(counter.centre), "recent_dossiers": recent_dossiers, "my_groups": counter.groups.order_by("position"),
    }, status=status)


@login_required
def stats(request, code):
    """Thống kê lấy số của một trung tâm: bảng, biểu đồ theo giờ, XLSX."""
    centre = _centre(code)
    if not can(request.user, "view", centre):
        raise PermissionDenied
    start, end, error = date_range(request.GET, what="Kỳ thống kê", max_days=366)
    data = selectors.queue_stats(centre=centre, start=start, end=end)
    if request.GET.get("format") == "xlsx" and not error:
        return _stats_xlsx(centre, data)
    chart = {
        "labels": [f"{h['hour']:02d}h" for h in data["hours"]],
        "arrivals": [h["tickets"] for h in data["hours"]],
        "wait": [h["wait_mean"] for h in data["hours"]],
        "service": [h["service_mean"] for h in data["hours"]],
    }
    return render(request, "counters/stats.html", {"centre": centre, "data": data, "chart": chart, "start": start, "end": end,
                                                   "error": error, "columns": STAT_COLUMNS}, status=400 if error else 200)


STAT_COLUMNS = [
    ("served", "Đã phục vụ"), ("no_show", "Vắng mặt"),
    ("wait_mean", "Chờ TB (phút)"), ("wait_median", "Chờ trung vị (phút)"), ("wait_p90", "Chờ P90 (phút)"),
    ("wait_max", "Chờ tối đa (phút)"),
    ("service_mean", "Phục vụ TB (phút)"), ("service_median", "Phục vụ trung vị (phút)"), ("service_p90", "Phục vụ P90 (phút)"),
]


def _stats_xlsx(centre, data) -> HttpResponse:
    """Three sheets (theo nhóm lĩnh vực, theo quầy, theo giờ) with the page's columns, through core.xlsx."""
    from openpyxl import Workbook

    wb = Workbook()
    keys = [k for k, _ in STAT_COLUMNS]
    heads = [h for _, h in STAT_COLUMNS]
    title = f"{centre.name}: từ {data['start']:%d/%m/%Y} đến {data['end']:%d/%m/%Y}"
    ws = wb.active
    ws.title = "Theo lĩnh vực"
    ws.append([title])
    ws.append(["Nhóm", "Tên nhóm lĩnh vực", "Số lượt", *heads])
    for r in data["groups"]:
        ws.append([r["prefix"], r["name"], r["tickets"], *[r[k] for k in keys]])
    ws2 = wb.create_sheet("Theo quầy")
    ws2.append([title])
    ws2.append(["Quầy", *heads])
    for r in data["counters"]:
        ws2.append([r["counter"], *[r[k] for k in keys]])
    ws3 = wb.create_sheet("Theo giờ")
    ws3.append([title])
    ws3.append(["Giờ", "Số lượt", *heads])
    for r in data["hours"]:
        ws3.append([f"{r['hour']:02d}:00", r["tickets"], *[r[k] for k in keys]])
    resp = HttpResponse(workbook_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="thong-ke-lay-so-{centre.code}-{data["start"]}-{data["end"]}.xlsx"'
    return resp
