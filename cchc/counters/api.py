"""API of the queue (/api/v1/queue/): issue a ticket, appointment slots, board state, counter actions, statistics.

Handlers parse input, call one service or selector and render; DomainError becomes a 4xx JSON body.
"""

from __future__ import annotations

from datetime import date, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError, ForbiddenError, NotFoundError
from cchc.core.throttling import ScopedRateThrottle
from cchc.units.models import Unit

from . import selectors, services
from .models import Channel

ERROR = inline_serializer("QueueError", fields={"detail": serializers.CharField(), "code": serializers.CharField(),
                                                "field": serializers.CharField(required=False, allow_null=True)})
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}

TicketOut = inline_serializer("QueueTicket", fields={
    "id": serializers.IntegerField(), "code": serializers.CharField(), "group": serializers.CharField(),
    "group_prefix": serializers.CharField(), "channel": serializers.CharField(), "status": serializers.CharField(),
    "status_label": serializers.CharField(), "issued_at": serializers.DateTimeField(), "day": serializers.DateField(),
    "estimated_wait_minutes": serializers.IntegerField(), "people_ahead": serializers.IntegerField(),
    "appointment_start": serializers.DateTimeField(allow_null=True), "counter": serializers.IntegerField(allow_null=True),
    "version": serializers.IntegerField(), "dossier": serializers.CharField(allow_null=True),
})


def centre_or_404(code: str) -> Unit:
    centre = Unit.objects.filter(code=code, queue_groups__isnull=False).distinct().first()
    if centre is None:
        raise NotFoundError("centre: không tìm thấy trung tâm có hệ thống lấy số.", field="centre")
    return centre


def parse_date(value, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise DomainError(f"{field}: ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", field=field) from None


def parse_int(value, field: str, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise DomainError(f"{field}: bắt buộc.", code="required", field=field)
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError(f"{field}: phải là số nguyên.", code="invalid", field=field) from None


class CentreListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="queue_centres", summary="Trung tâm có hệ thống lấy số và nhóm lĩnh vực",
                   responses={200: inline_serializer("QueueCentre", many=True, fields={
                       "code": serializers.CharField(), "name": serializers.CharField(),
                       "groups": serializers.ListField(child=serializers.DictField())})})
    def get(self, request):
        from .models import FieldGroup

        out: dict[int, dict] = {}
        for g in FieldGroup.objects.filter(is_active=True).select_related("centre").order_by("centre__code", "position", "prefix"):
            c = out.setdefault(g.centre_id, {"code": g.centre.code, "name": g.centre.name, "groups": []})
            c["groups"].append({"id": g.pk, "prefix": g.prefix, "name": g.name})
        return Response(list(out.values()))


class TicketIssueApi(APIView):
    """Lấy số: kiosk tickets need no login; online appointments need a signed-in citizen."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "queue_issue"

    @extend_schema(
        operation_id="queue_ticket_issue", summary="Lấy số thứ tự (máy lấy số hoặc đặt lịch trực tuyến)",
        request=inline_serializer("QueueIssueIn", fields={
            "group": serializers.IntegerField(), "channel": serializers.CharField(required=False, help_text="kiosk (mặc định) hoặc online"),
            "slot": serializers.DateTimeField(required=False, help_text="Giờ bắt đầu khung hẹn (trực tuyến)")}),
        responses={201: TicketOut, **ERRORS},
    )
    def post(self, request, code):
        centre = centre_or_404(code)
        channel = request.data.get("channel") or Channel.KIOSK
        slot = None
        if request.data.get("slot"):
            try:
                slot = datetime.fromisoformat(str(request.data["slot"]))
            except ValueError:
                raise DomainError("slot: giờ hẹn không hợp lệ (ISO 8601).", code="invalid", field="slot") from None
            if slot.tzinfo is None:
                from django.utils import timezone

                slot = timezone.make_aware(slot)
        ticket = services.ticket_issue(centre=centre, group_id=parse_int(request.data.get("group"), "group"), channel=channel,
                                       appointment_start=slot, citizen=request.user if channel == Channel.ONLINE else None)
        return Response(selectors.ticket_view(ticket), status=201)


class SlotListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="queue_slots", summary="Khung giờ hẹn còn trống của một nhóm lĩnh vực trong một ngày",
                   parameters=[OpenApiParameter("group", OpenApiTypes.INT, required=True), OpenApiParameter("day", OpenApiTypes.DATE, required=True)],
                   responses={200: inline_serializer("QueueSlot", many=True, fields={
                       "start": serializers.DateTimeField(), "end": serializers.DateTimeField(), "capacity": serializers.IntegerField(),
                       "booked": serializers.IntegerField(), "available": serializers.IntegerField()}), **ERRORS})
    def get(self, request, code):
        centre = centre_or_404(code)
        group = services._check_group(centre, parse_int(request.query_params.get("group"), "group"))
        day = parse_date(request.query_params.get("day"), "day")
        return Response(selectors.slots(group=group, day=day))


class BoardApi(APIView):
    """Trạng thái bảng hiển thị: public, no personal data (codes and counter numbers only)."""

    permission_classes = [AllowAny]

    @extend_schema(operation_id="queue_board", summary="Trạng thái bảng hiển thị (quầy đang gọi, 5 số gọi gần nhất)",
                   responses={200: inline_serializer("QueueBoard", fields={
                       "centre": serializers.CharField(), "now": serializers.DateTimeField(),
                       "counters": serializers.ListField(child=serializers.DictField()),
                       "recent": serializers.ListField(child=serializers.DictField()), "waiting": serializers.IntegerField()}),
                              404: ERROR})
    def get(self, request, code):
        return Response(selectors.board_state(centre=centre_or_404(code)))


class CallNextApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="queue_call_next", summary="Gọi số tiếp theo tại một quầy", request=None,
                   responses={200: TicketOut, **ERRORS})
    def post(self, request, pk):
        return Response(selectors.ticket_view(services.counter_call_next(counter_id=pk, actor=request.user)))


class TicketActionApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="queue_ticket_action", summary="Thao tác trên số đã gọi: gọi lại, bắt đầu, bỏ qua, kết thúc, chuyển",
        request=inline_serializer("QueueActionIn", fields={
            "action": serializers.ChoiceField(choices=services.ACTIONS), "version": serializers.IntegerField(),
            "target_counter": serializers.IntegerField(required=False), "target_group": serializers.IntegerField(required=False),
            "dossier": serializers.CharField(required=False, help_text="Mã hồ sơ đã tiếp nhận (khi kết thúc)")}),
        responses={200: TicketOut, **ERRORS},
    )
    def post(self, request, pk):
        d = request.data
        ticket = services.ticket_act(
            ticket_id=pk, action=str(d.get("action") or ""), actor=request.user, version=parse_int(d.get("version"), "version"),
            target_counter_id=parse_int(d.get("target_counter"), "target_counter", required=False),
            target_group_id=parse_int(d.get("target_group"), "target_group", required=False),
            dossier_code=str(d.get("dossier") or ""),
        )
        return Response(selectors.ticket_view(ticket))


class StatsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="queue_stats", summary="Thời gian chờ và phục vụ theo nhóm lĩnh vực, quầy, giờ trong ngày",
                   parameters=[OpenApiParameter("from", OpenApiTypes.DATE, required=True), OpenApiParameter("to", OpenApiTypes.DATE, required=True)],
                   responses={200: inline_serializer("QueueStats", fields={
                       "start": serializers.DateField(), "end": serializers.DateField(), "total": serializers.DictField(),
                       "groups": serializers.ListField(child=serializers.DictField()),
                       "counters": serializers.ListField(child=serializers.DictField()),
                       "hours": serializers.ListField(child=serializers.DictField())}), **ERRORS})
    def get(self, request, code):
        centre = centre_or_404(code)
        if not can(request.user, "view", centre):
            raise ForbiddenError("Bạn không có quyền xem thống kê của trung tâm này.")
        start, end = parse_date(request.query_params.get("from"), "from"), parse_date(request.query_params.get("to"), "to")
        if end < start:
            raise DomainError("to: ngày kết thúc phải từ ngày bắt đầu trở đi.", code="invalid_period", field="to")
        if (end - start).days > 366:
            raise DomainError("to: kỳ thống kê tối đa 366 ngày.", code="period_too_long", field="to")
        return Response(selectors.queue_stats(centre=centre, start=start, end=end))



