"""766 API (/api/v1/serviceindex/...): the index, its drill-down, the early warning, entered figures.

Handlers parse the query, resolve what the caller may see (`access.resolve_view`), call one read or write,
and render. Errors are 4xx JSON naming the field ({"detail", "code", "field"}).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, ForbiddenError

from . import access, compute, early_warning, services
from . import serializers as s
from .periods import PeriodError, check_year, parse_period

P_PROVINCE = OpenApiParameter("province", OpenApiTypes.STR, description="Mã tỉnh (cả mã trước 2025); mặc định: tỉnh của người dùng")
P_PERIOD = OpenApiParameter("period", OpenApiTypes.STR, description="YYYY-MM, YYYY-Qn hoặc YYYY; mặc định: tháng hiện tại")
P_UNIT = OpenApiParameter("unit", OpenApiTypes.STR, description="Mã đơn vị (đơn vị và các đơn vị trực thuộc)")
P_FIELD = OpenApiParameter("field", OpenApiTypes.STR, description="Lĩnh vực thủ tục")


def period_param(value):
    from django.utils import timezone

    if not value:
        today = timezone.localdate()
        return parse_period(f"{today.year}-{today.month:02d}")
    try:
        return check_year(parse_period(str(value)))
    except PeriodError as exc:
        raise DomainError(f"period: {exc}", code="invalid_period", field="period") from None


class ServiceIndexApi(APIView):
    """Chỉ số 766 của tỉnh, đơn vị hoặc lĩnh vực trong một kỳ (the same JSON as `cchc serviceindex compute --json`)."""

    @extend_schema(operation_id="serviceindex_compute", parameters=[P_PROVINCE, P_PERIOD, P_UNIT, P_FIELD],
                   responses=s.ServiceIndexResultSerializer)
    def get(self, request):
        q = request.query_params
        period = period_param(q.get("period"))
        province, unit = access.resolve_view(request.user, province_code=q.get("province"), unit_code=q.get("unit"))
        return Response(compute.compute_index(province=province, period=period, unit=unit, field=q.get("field") or None))


class ServiceIndexDrillApi(APIView):
    """Chỉ tiêu → đơn vị trực thuộc → hồ sơ / thủ tục làm mất điểm, each with its reason."""

    @extend_schema(operation_id="serviceindex_drilldown",
                   parameters=[P_PROVINCE, P_PERIOD, P_UNIT, P_FIELD,
                               OpenApiParameter("indicator", OpenApiTypes.STR, required=True, description="Mã chỉ tiêu, ví dụ 2.1")],
                   responses=s.ServiceIndexDrillSerializer)
    def get(self, request):
        q = request.query_params
        period = period_param(q.get("period"))
        code = (q.get("indicator") or "").strip()
        if not code:
            raise DomainError("indicator: cần mã chỉ tiêu (ví dụ 2.1).", code="required", field="indicator")
        province, unit = access.resolve_view(request.user, province_code=q.get("province"), unit_code=q.get("unit"))
        return Response(drilldown(province=province, period=period, indicator=code, unit=unit, field=q.get("field") or None))


def drilldown(*, province, period, indicator, unit=None, field=None) -> dict:
    units = compute.drill_units(province=province, period=period, indicator=indicator, unit=unit, field=field)
    items = compute.drill_items(province=province, period=period, indicator=indicator, unit=unit, field=field)
    return {"indicator": units["indicator"], "period": period.label, "province": province.code,
            "unit": unit.code if unit is not None else None, "field": field, "units": units["units"],
            "dossiers": items["dossiers"], "procedures": items["procedures"]}


class ServiceIndexWarningApi(APIView):
    """Cảnh báo sớm: hồ sơ sẽ quá hạn trong N ngày làm việc nếu không xử lý, và điểm có nguy cơ mất tháng này."""

    @extend_schema(operation_id="serviceindex_warnings",
                   parameters=[P_PROVINCE, P_UNIT, OpenApiParameter("days", OpenApiTypes.INT, description="1–30, mặc định 2")],
                   responses=s.ServiceIndexWarningSerializer)
    def get(self, request):
        q = request.query_params
        raw = str(q.get("days") or early_warning.DEFAULT_DAYS).strip()
        if not raw.isdigit():
            raise DomainError(f"days: {raw!r} không phải số nguyên.", code="invalid_days", field="days")
        province, unit = access.resolve_view(request.user, province_code=q.get("province"), unit_code=q.get("unit"))
        return Response(early_warning.going_late(province=province, days=int(raw), unit=unit))


class ServiceIndexFigureApi(APIView):
    """Nhập số liệu nền tảng không có (source "entered"): PAR office of the province."""

    @extend_schema(operation_id="serviceindex_figures_enter", request=s.ServiceIndexFigureInSerializer,
                   responses={200: s.ServiceIndexFigureOutSerializer})
    def post(self, request):
        ser = s.ServiceIndexFigureInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        if not access.may_view(request.user):
            raise ForbiddenError("Chỉ cơ quan thường trực CCHC được nhập số liệu chỉ số 766.", code="forbidden")
        province, unit = access.resolve_view(request.user, province_code=d.get("province"), unit_code=d.get("unit"))
        fig = services.figure_enter(actor=request.user, province=province, unit=unit, period=d["period"], indicator_code=d["indicator"],
                                    numerator=d["numerator"], denominator=d["denominator"], note=d.get("note", ""))
        return Response({"province": province.code, "unit": unit.code if unit else None, "period": fig.period,
                         "indicator": fig.indicator_code, "numerator": float(fig.numerator), "denominator": float(fig.denominator),
                         "source": "entered"})


def set_json(iset) -> dict:
    def f(v):
        return None if v is None else float(v)

    return {
        "id": iset.pk, "family": iset.family, "version": iset.version, "name": iset.name, "decision_no": iset.decision_no,
        "effective_from": iset.effective_from, "confirmed": iset.confirmed, "source": iset.source, "notes": iset.notes,
        "copied_from": iset.copied_from_id,
        "groups": [{"code": g["code"], "name": g["name"], "max": f(g["max"]), "indicators": [{
            "code": i["code"], "name": i["name"], "numerator_key": i["numerator_key"], "denominator_key": i["denominator_key"],
            "source": i["source"], "target": f(i["target"]), "max": f(i["max"]), "rule": i["rule"],
            "steps": {k: float(v) for k, v in (i["steps"] or {}).items()}, "max_confirmed": i["max_confirmed"],
            "citation": i["citation"]} for i in g["indicators"]]} for g in compute.definition(iset)],
    }


class ServiceIndexSetListApi(APIView):
    """Các phiên bản bộ chỉ số 766 (newest first), each with its groups and indicators."""

    @extend_schema(operation_id="serviceindex_sets_list", responses=s.ServiceIndexSetSerializer(many=True))
    def get(self, request):
        from .models import IndicatorSet

        if not access.may_view(request.user):
            raise ForbiddenError("Chỉ số 766 dành cho cơ quan thường trực CCHC, lãnh đạo tỉnh và người đứng đầu đơn vị.", code="forbidden")
        return Response([set_json(x) for x in IndicatorSet.objects.order_by("family", "-version")])


class ServiceIndexSetReviseApi(APIView):
    """Sửa bộ chỉ số: a NEW version from this one with per-indicator changes (max, target, rule, steps); the
    old version is never modified. PAR office only; each group's maxima must still add up."""

    @extend_schema(operation_id="serviceindex_sets_revise", request=s.ServiceIndexReviseSerializer,
                   responses={201: s.ServiceIndexSetSerializer})
    def post(self, request, pk: int):
        from cchc.core.errors import NotFoundError

        from .models import IndicatorSet

        base = IndicatorSet.objects.filter(pk=pk).first()
        if base is None:
            raise NotFoundError("Không tìm thấy bộ chỉ số.", code="not_found")
        ser = s.ServiceIndexReviseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        changes = {code: dict(ch) for code, ch in d["changes"].items()}
        for ch in changes.values():  # steps are stored as JSON: numbers, not Decimals
            if "steps" in ch:
                ch["steps"] = {str(k): float(v) for k, v in ch["steps"].items()}
        new = services.indicator_set_revise(base=base, changes=changes, actor=request.user, notes=d.get("notes", ""),
                                            effective_from=d.get("effective_from"))
        return Response(set_json(new), status=201)
