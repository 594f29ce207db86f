"""API for the national lost points (/api/v1/indices/...): the status table, assign, assign by default,
explain, review, a department's worklist and the default mapping. Handlers parse input and call one
service or selector of `lost_services` / `lost_selectors`; permissions and scoping live there.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, NotFoundError

from . import lost_selectors as ls
from . import lost_services as svc
from . import serializers as s
from .api import _unit, _valid
from .models import AssessmentCycle, LostPointAssignment, LostPointDefault

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cycle(user, pk: int) -> AssessmentCycle:
    """A national-index cycle the user follows (PAR office, leaders) or has rows in (a department); 404 otherwise."""
    cycle = AssessmentCycle.objects.select_related("criteria_set").filter(pk=pk).first()
    provinces = ls.national_provinces(cycle) if cycle is not None else []
    if not provinces:
        raise NotFoundError("Không tìm thấy kỳ Chỉ số CCHC cấp tỉnh.", field="cycle")
    home = getattr(user, "unit_id", None)
    if any(ls.full_view(user, p) for p in provinces):
        return cycle
    if home and LostPointAssignment.objects.filter(Q(department_id=home) | Q(cooperating__id=home), cycle=cycle).exists():
        return cycle
    raise NotFoundError("Không tìm thấy kỳ Chỉ số CCHC cấp tỉnh.", field="cycle")


def _assignment(user, pk: int) -> LostPointAssignment:
    return ls.assignment_get(pk=pk, user=user)


def _home_province(user):
    unit = getattr(user, "unit", None)
    return unit.province_unit if unit is not None else None


def _row_out(rows):
    return s.IndexNationalLostPointSerializer(rows, many=True).data


class NationalLostPointsApi(APIView):
    """Điểm bị trừ của tỉnh trong Chỉ số CCHC cấp tỉnh và việc giải trình theo cơ quan chủ trì (?format=xlsx)."""

    @extend_schema(operation_id="indices_national_lost_points",
                   parameters=[OpenApiParameter("department", str, description="Mã đơn vị chủ trì"),
                               OpenApiParameter("status", str, enum=["unassigned", "assigned", "explained", "accepted", "more_requested", "overdue"]),
                               OpenApiParameter("format", str, enum=["json", "xlsx"])],
                   responses={200: s.IndexNationalLostPointSerializer(many=True), (200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        cycle = _cycle(request.user, pk)
        if request.query_params.get("format") == "xlsx":
            from .reports import national_lost_points_xlsx

            response = HttpResponse(national_lost_points_xlsx(cycle_id=cycle.pk, user=request.user), content_type=XLSX_TYPE)
            response["Content-Disposition"] = f'attachment; filename="giai-trinh-diem-bi-tru-ky-{cycle.pk}.xlsx"'
            return response
        dept = request.query_params.get("department")
        rows = ls.national_lost_points(cycle=cycle, user=request.user, department=_unit(dept) if dept else None,
                                       status=request.query_params.get("status") or None)
        return Response(_row_out(rows))

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


class NationalLostAssignApi(APIView):
    """Giao (giao lại) giải trình một tiêu chí thành phần cho cơ quan chủ trì (cơ quan thường trực CCHC)."""

    @extend_schema(operation_id="indices_national_lost_assign", request=s.IndexLostAssignSerializer,
                   responses={200: s.IndexNationalLostPointSerializer})
    def post(self, request, pk: int):
        cycle = _cycle(request.user, pk)
        data = _valid(s.IndexLostAssignSerializer, request.data)
        dept = _unit_field(data["department"], "department")
        coop = [_unit_field(c, "cooperating") for c in data["cooperating"]]
        a = svc.lost_point_assign(cycle=cycle, criterion=data["criterion"], department=dept, cooperating=coop, deadline=data["deadline"],
                                  unit=_unit(data["unit"]) if data["unit"] else None, actor=request.user, expected_version=data["version"])
        return Response(s.IndexNationalLostPointSerializer(ls.assignment_row(a)).data)


def _unit_field(code: str, field: str):
    try:
        return _unit(code)
    except NotFoundError as exc:
        raise NotFoundError(exc.message, code="unknown_unit", field=field) from None


class NationalLostAssignDefaultApi(APIView):
    """Giao theo mặc định: every unassigned lost sub-criterion to the department the default mapping names."""

    @extend_schema(operation_id="indices_national_lost_assign_default", request=s.IndexLostAssignDefaultSerializer,
                   responses={200: s.IndexLostAssignDefaultResultSerializer})
    def post(self, request, pk: int):
        cycle = _cycle(request.user, pk)
        data = _valid(s.IndexLostAssignDefaultSerializer, request.data)
        out = svc.lost_points_assign_default(cycle=cycle, deadline=data["deadline"], unit=_unit(data["unit"]) if data["unit"] else None,
                                             actor=request.user)
        return Response(out)


class LostWorklistApi(APIView):
    """Điểm bị trừ cần giải trình của đơn vị người dùng (chủ trì và phối hợp)."""

    @extend_schema(operation_id="indices_lost_worklist", responses=s.IndexNationalWorkItemSerializer(many=True))
    def get(self, request):
        return Response(s.IndexNationalWorkItemSerializer(ls.worklist(user=request.user), many=True).data)


class LostExplainApi(APIView):
    """Giải trình (cơ quan chủ trì): nguyên nhân và giải pháp khắc phục."""

    @extend_schema(operation_id="indices_lost_explain", request=s.IndexLostExplainSerializer, responses={200: s.IndexNationalLostPointSerializer})
    def post(self, request, pk: int):
        a = _assignment(request.user, pk)
        data = _valid(s.IndexLostExplainSerializer, request.data)
        svc.lost_point_explain(assignment=a, cause=data["cause"], remedy=data["remedy"], actor=request.user, expected_version=data["version"])
        return Response(s.IndexNationalLostPointSerializer(ls.assignment_row(a)).data)


class LostReviewApi(APIView):
    """Xem xét giải trình (cơ quan thường trực CCHC): accept | request_more (with a note and maybe a new deadline)."""

    @extend_schema(operation_id="indices_lost_review", request=s.IndexLostReviewSerializer, responses={200: s.IndexNationalLostPointSerializer})
    def post(self, request, pk: int):
        a = _assignment(request.user, pk)
        data = _valid(s.IndexLostReviewSerializer, request.data)
        svc.lost_point_review(assignment=a, decision=data["decision"], note=data["note"], deadline=data["deadline"] or None,
                              actor=request.user, expected_version=data["version"])
        return Response(s.IndexNationalLostPointSerializer(ls.assignment_row(a)).data)


def _default_out(rows) -> list[dict]:
    return [{"criterion_prefix": r.criterion_prefix, "department": r.department.code if r.department_id else "",
             "department_kind": r.department_kind, "cooperating_kinds": r.cooperating_kinds, "note": r.note,
             "province": r.province.code if r.province_id else ""} for r in rows]


class LostDefaultsApi(APIView):
    """Phân công mặc định của tỉnh (lĩnh vực/tiêu chí → cơ quan chủ trì); PUT replaces the province's own rows."""

    @extend_schema(operation_id="indices_lost_defaults", responses=s.IndexLostDefaultRowSerializer(many=True))
    def get(self, request):
        province = _home_province(request.user)
        if province is None:
            return Response(_default_out(LostPointDefault.objects.filter(province__isnull=True)))
        return Response(_default_out(ls.default_rows(province)))

    @extend_schema(operation_id="indices_lost_defaults_set", request=s.IndexLostDefaultsSerializer,
                   responses={200: s.IndexLostDefaultRowSerializer(many=True), 403: OpenApiResponse(description="Không phải cơ quan thường trực CCHC")})
    def put(self, request):
        province = _home_province(request.user)
        if province is None:
            raise DomainError("Tài khoản không thuộc tỉnh nào.", code="no_province", field="province")
        data = _valid(s.IndexLostDefaultsSerializer, request.data)
        rows = []
        for r in data["rows"]:
            rows.append({**r, "department": _unit_field(r["department"], "department") if r["department"] else None})
        svc.lost_point_defaults_set(province=province, rows=rows, actor=request.user)
        return Response(_default_out(ls.default_rows(province)))
