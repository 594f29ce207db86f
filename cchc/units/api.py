"""API of the organisation registry: GET /api/v1/units/ (scoped list) and /api/v1/units/<code>/."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from cchc.core.errors import NotFoundError

from .models import Unit
from .selectors import unit_get, unit_list


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind"]


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = UnitRefSerializer(read_only=True)
    province = serializers.SerializerMethodField()
    successors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    predecessors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Unit
        fields = [
            "id", "code", "admin_code", "name", "short_name", "kind", "kind_label", "parent", "province", "region",
            "valid_from", "valid_to", "is_active", "agency_id", "successors", "predecessors",
        ]

    def get_province(self, obj) -> dict | None:
        prov = obj.province_unit
        return {"id": prov.pk, "code": prov.code, "name": prov.name} if prov is not None else None


class UnitListView(ListAPIView):
    """Danh sách đơn vị: only units inside the caller's scope (permissions.filter_by_scope)."""

    serializer_class = UnitSerializer

    @extend_schema(parameters=[
        OpenApiParameter("kind", str, description="loại đơn vị (UnitKind), có thể nhiều giá trị cách nhau dấu phẩy"),
        OpenApiParameter("province", str, description="mã hoặc tên tỉnh (cũ hoặc mới)"),
        OpenApiParameter("q", str, description="tìm theo tên (không dấu) hoặc mã"),
    ])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return unit_list(user=self.request.user, kind=p.get("kind"), province=p.get("province"), q=p.get("q")) \
            .prefetch_related("successors", "predecessors")


class UnitDetailView(RetrieveAPIView):
    serializer_class = UnitSerializer

    def get_object(self):
        unit = unit_get(user=self.request.user, code=self.kwargs["code"])
        if unit is None:
            raise NotFoundError("Không tìm thấy đơn vị hoặc bạn không có quyền xem.", code="unit_not_found")
        return unit
