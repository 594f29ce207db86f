"""Public calendar API: GET /api/v1/calendar/due and GET /api/v1/calendar/workdays (no login, throttled)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError
from cchc.core.throttling import AnonRateThrottle

from .parsing import parse_amount, parse_day, parse_moment
from .selectors import due_summary, province_by_code, workdays_summary
from .services import calendar_for
from .workdays import UNIT_CALENDAR_DAYS, UNIT_SAME_DAY, UNIT_WORKING_DAYS, UNIT_WORKING_HOURS


class CalendarPublicThrottle(AnonRateThrottle):
    """Anonymous callers: 240 requests a minute per address (its own bucket, not shared with other lookups)."""

    scope = "calendar_public"
    rate = "240/min"


class DueSerializer(serializers.Serializer):
    received = serializers.CharField(help_text="Thời điểm tiếp nhận (ISO 8601, +07:00)")
    counted_from = serializers.CharField(help_text="Thời điểm bắt đầu tính thời hạn")
    due = serializers.CharField(help_text="Hạn giải quyết")
    working_days = serializers.FloatField(required=False, help_text="có khi tính theo ngày làm việc")
    working_hours = serializers.FloatField(required=False, help_text="có khi tính theo giờ làm việc")
    calendar_days = serializers.FloatField(required=False, help_text="có khi tính theo ngày (lịch)")
    same_day = serializers.BooleanField(required=False, help_text="có khi giải quyết trong ngày")
    calendar_version = serializers.CharField(help_text="Phiên bản lịch đã dùng (lưu cùng hạn giải quyết)")


class DayItemSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class WorkdaysSerializer(serializers.Serializer):
    to = serializers.DateField()
    working_days = serializers.IntegerField()
    count = serializers.IntegerField(help_text="= working_days")
    non_working_weekdays = DayItemSerializer(many=True)
    working_weekend_days = DayItemSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()  # "from" is a Python keyword, so it cannot be a class attribute
        return fields

ERROR = {"type": "object", "properties": {"detail": {"type": "string"}, "code": {"type": "string"}, "field": {"type": "string"}}}


class _Public(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [CalendarPublicThrottle]

    def handle_exception(self, exc):
        if isinstance(exc, DomainError) and exc.message:  # parsing messages are written to follow a flag name
            exc.message = exc.message[:1].upper() + exc.message[1:]
        return super().handle_exception(exc)


class DueApi(_Public):
    """Tính hạn giải quyết (công khai)."""

    @extend_schema(
        operation_id="calendar_due",
        summary="Tính hạn giải quyết hồ sơ",
        description=(
            "Hồ sơ tiếp nhận lúc `received`, thời hạn N ngày làm việc: hạn là cùng giờ đó vào ngày làm việc thứ N sau "
            "ngày bắt đầu tính. Tiếp nhận ngoài giờ / ngày nghỉ: tính từ giờ mở cửa kế tiếp; trong giờ nghỉ trưa: từ "
            "giờ làm việc buổi chiều. Chỉ dùng một trong `days`, `hours`, `calendar_days`, `same_day`."
        ),
        parameters=[
            OpenApiParameter("received", str, required=True, description="ISO 8601; không ghi múi giờ = giờ Việt Nam"),
            OpenApiParameter("days", str, description="Số ngày làm việc (≥ 0, có thể lẻ: 0.5)"),
            OpenApiParameter("hours", str, description="Số giờ làm việc"),
            OpenApiParameter("calendar_days", str, description="Số ngày theo lịch"),
            OpenApiParameter("same_day", bool, description="Giải quyết trong ngày"),
            OpenApiParameter("province", str, description="Mã tỉnh/thành phố (giờ làm việc, ngày nghỉ riêng)"),
        ],
        responses={200: DueSerializer, 400: ERROR},
        examples=[
            OpenApiExample(
                "Tết Bính Ngọ 2026",
                value={"received": "2026-02-13T09:00:00+07:00", "counted_from": "2026-02-13T09:00:00+07:00",
                       "due": "2026-02-25T09:00:00+07:00", "working_days": 3, "calendar_version": "…"},
                response_only=True,
            )
        ],
    )
    def get(self, request):
        from zoneinfo import ZoneInfo

        q = request.query_params
        given = [k for k in ("days", "hours", "calendar_days") if q.get(k) not in (None, "")]
        same_day = (q.get("same_day") or "").lower() in {"1", "true", "yes", "on"}
        if len(given) + int(same_day) != 1:
            raise DomainError(
                "Cần đúng một trong: days, hours, calendar_days, same_day.", code="amount_required", field="days"
            )
        if same_day:
            unit, amount = UNIT_SAME_DAY, Decimal(0)
        else:
            key = given[0]
            unit = {"days": UNIT_WORKING_DAYS, "hours": UNIT_WORKING_HOURS, "calendar_days": UNIT_CALENDAR_DAYS}[key]
            amount = parse_amount(q.get(key), field=key)
        received = parse_moment(q.get("received"), field="received", tz=ZoneInfo("Asia/Ho_Chi_Minh"))
        province = province_by_code(q.get("province"))
        body = due_summary(received=received, amount=amount, unit=unit, province=province)
        body["calendar_version"] = calendar_for(province).fingerprint
        return Response(body)


class WorkdaysApi(_Public):
    """Đếm ngày làm việc (công khai)."""

    @extend_schema(
        operation_id="calendar_workdays",
        summary="Đếm ngày làm việc trong một khoảng (tính cả hai đầu)",
        parameters=[
            OpenApiParameter("from", str, required=True, description="Ngày đầu YYYY-MM-DD"),
            OpenApiParameter("to", str, required=True, description="Ngày cuối YYYY-MM-DD"),
            OpenApiParameter("province", str, description="Mã tỉnh/thành phố"),
        ],
        responses={200: WorkdaysSerializer, 400: ERROR},
    )
    def get(self, request):
        q = request.query_params
        start = parse_day(q.get("from"), field="from")
        end = parse_day(q.get("to"), field="to")
        if (end - start).days > 366 * 20:
            raise DomainError("Khoảng ngày tối đa 20 năm.", code="range_too_long", field="to")
        return Response(workdays_summary(start=start, end=end, province=province_by_code(q.get("province"))))


@extend_schema_view(get=extend_schema(exclude=True))
class DueApiSlash(DueApi):
    """The same endpoint with a trailing slash (not listed twice in the schema)."""


@extend_schema_view(get=extend_schema(exclude=True))
class WorkdaysApiSlash(WorkdaysApi):
    """The same endpoint with a trailing slash (not listed twice in the schema)."""
