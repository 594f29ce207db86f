"""Public procedure API: GET /api/v1/procedures/?q=&limit= and GET /api/v1/procedures/<code>/."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError
from cchc.core.throttling import ScopedRateThrottle

from .search import search_procedures
from .selectors import procedure_get, procedure_publications


class HitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(help_text=(
        "Độ phù hợp trong (0, 2], chỉ để so trong cùng một kết quả: 2,0 đúng mã; 1,5 mã bắt đầu bằng chuỗi đã gõ; "
        "1,2 – trên 1,0 nhu cầu thường gặp (ý định); ≤ 1,0 xếp theo tên (docs/search.md)."))


class PublicationSerializer(serializers.Serializer):
    province = serializers.CharField(source="province.code")
    province_name = serializers.CharField(source="province.name")
    level = serializers.CharField()
    desk = serializers.CharField(source="desk.name", allow_null=True, default=None)
    handling_unit = serializers.CharField(source="handling_unit.name", allow_null=True, default=None)
    time_value = serializers.DecimalField(max_digits=8, decimal_places=2)
    time_unit = serializers.CharField()
    online_level = serializers.CharField()
    fee_amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    decision_no = serializers.CharField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)


class ProcedureDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    field = serializers.CharField()
    levels = serializers.CharField()
    issuing_agency = serializers.CharField()
    implementing_agency = serializers.CharField()
    decision_no = serializers.CharField()
    kind = serializers.CharField()
    channels = serializers.ListField(child=serializers.CharField(), source="channel_list")
    has_online_channel = serializers.BooleanField()
    fee_text = serializers.CharField()
    time_raw = serializers.CharField()
    time_value = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    time_unit = serializers.CharField()
    time_ambiguous = serializers.BooleanField()
    data_note = serializers.CharField()
    detail_url = serializers.CharField()
    source_url = serializers.CharField()
    publications = PublicationSerializer(many=True, source="publications_now")


class _Public(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_lookup"


class ProcedureListApi(_Public):
    """Tra cứu thủ tục (công khai)."""

    @extend_schema(
        operation_id="procedures_search",
        parameters=[
            OpenApiParameter("q", str, description="Nội dung tìm: tên (có hoặc không dấu), mã thủ tục, tên thông dụng"),
            OpenApiParameter("limit", int, description="Số kết quả, 1–100 (mặc định 10)"),
            OpenApiParameter("province", str, description="Mã tỉnh: chỉ thủ tục tỉnh đang áp dụng (tùy chọn)"),
        ],
        responses=HitSerializer(many=True),
    )
    def get(self, request):
        raw_limit = request.query_params.get("limit") or "10"
        try:
            limit = int(raw_limit)
        except ValueError as exc:
            raise DomainError("limit phải là số nguyên từ 1 đến 100.", code="invalid_limit", field="limit") from exc
        if not 1 <= limit <= 100:
            raise DomainError("limit phải là số nguyên từ 1 đến 100.", code="invalid_limit", field="limit")
        province = None
        province_code = (request.query_params.get("province") or "").strip()
        if province_code:
            from cchc.units.models import Unit, UnitKind

            province = Unit.objects.filter(code=province_code, kind=UnitKind.PROVINCE).first()
            if province is None:
                raise DomainError(f"Không có tỉnh mã {province_code!r}.", code="unknown_province", field="province")
        hits = search_procedures(request.query_params.get("q", ""), limit=limit, province=province)
        return Response(HitSerializer([h.as_dict() for h in hits], many=True).data)


class ProcedureDetailApi(_Public):
    """Chi tiết một thủ tục (công khai), với nơi tiếp nhận tại các tỉnh đang áp dụng."""

    @extend_schema(operation_id="procedures_detail", responses=ProcedureDetailSerializer)
    def get(self, request, code: str):
        procedure = procedure_get(code=code)
        procedure.publications_now = procedure_publications(procedure=procedure, on_date=timezone.localdate())
        return Response(ProcedureDetailSerializer(procedure).data)
