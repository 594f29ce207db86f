"""API of cchc.inspections (/api/v1/inspections/): plans, inspections, findings, recommendations, follow-ups.

Handlers parse input, call one service or selector and render; DomainError becomes a 4xx JSON body.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, ForbiddenError, NotFoundError
from cchc.units.models import Unit

from . import selectors, services
from .models import Finding, FollowUp, Inspection, InspectionPlan, Recommendation

ErrorSerializer = inline_serializer("InspectionError", fields={
    "detail": serializers.CharField(), "code": serializers.CharField(), "field": serializers.CharField(required=False, allow_null=True)})


def _errors(*codes: int) -> dict:
    text = {400: "Dữ liệu không hợp lệ (field + quy tắc)", 403: "Không có quyền", 404: "Không tìm thấy",
            409: "Trạng thái không cho phép (quy tắc nêu trong detail)"}
    return {c: OpenApiResponse(ErrorSerializer, description=text[c]) for c in codes}


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)):
        raise ForbiddenError("Chỉ cán bộ, công chức được dùng chức năng này.")
    return user


def _date(data, field: str, *, required: bool = True) -> dt.date | None:
    raw = data.get(field)
    if not raw:
        if required:
            raise DomainError(f"{field}: bắt buộc (định dạng YYYY-MM-DD).", code="required", field=field)
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise DomainError(f"{field}: ngày không hợp lệ (định dạng YYYY-MM-DD).", code="invalid_date", field=field) from None


def _unit(code, field: str) -> Unit:
    unit = Unit.objects.filter(code=str(code or "")).first()
    if unit is None:
        raise NotFoundError(f"{field}: không tìm thấy đơn vị “{code}”.", field=field)
    return unit


class PlanSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)

    class Meta:
        model = InspectionPlan
        fields = ["id", "province", "year", "title", "document_number", "issued_on"]


class MemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(source="unit.code")
    is_leader = serializers.BooleanField()


class InspectionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "plan", "unit", "unit_name", "scope", "planned_start", "planned_end", "actual_start", "actual_end", "status",
                  "conclusion_number", "closed_at", "closure_note", "members"]


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["id", "inspection", "text", "severity", "official_name", "official_position", "conduct", "action_taken", "action_note"]


class RecommendationSerializer(serializers.ModelSerializer):
    responsible_unit = serializers.CharField(source="responsible_unit.code", read_only=True)
    state = serializers.SerializerMethodField(help_text="open | done_on_time | done_late | carried_over | overdue (derived today)")

    class Meta:
        model = Recommendation
        fields = ["id", "inspection", "finding", "text", "responsible_unit", "deadline", "status", "state", "done_on", "carry_over_reason"]

    def get_state(self, obj) -> str:
        return selectors.recommendation_status_label(obj, timezone.localdate())[0]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "recommendation", "text", "completes", "reported_on", "evidence_name", "evidence_type", "evidence_sha256"]


def _inspection(request, pk) -> Inspection:
    obj = selectors.inspections_visible(request.user).filter(pk=pk).first()
    if obj is None:
        raise NotFoundError("Không tìm thấy cuộc kiểm tra.")
    return obj


class PlanListApi(APIView):
    """Kế hoạch kiểm tra CCHC năm the caller may see; POST issues one (PAR office)."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="inspections_plans_list", responses={200: PlanSerializer(many=True), **_errors(403)})
    def get(self, request):
        _staff(request)
        return Response(PlanSerializer(selectors.plans_visible(request.user), many=True).data)

    @extend_schema(operation_id="inspections_plans_create", request=inline_serializer("InspectionPlanCreate", fields={
        "province": serializers.CharField(), "year": serializers.IntegerField(), "title": serializers.CharField(),
        "document_number": serializers.CharField(required=False), "issued_on": serializers.DateField(required=False)}),
        responses={201: PlanSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        year = data.get("year")
        if not str(year or "").isdigit():
            raise DomainError("year: phải là số năm.", code="invalid", field="year")
        plan = services.plan_create(province=_unit(data.get("province"), "province"), year=int(year), title=data.get("title") or "",
                                    document_number=data.get("document_number") or "", issued_on=_date(data, "issued_on", required=False),
                                    actor=user)
        return Response(PlanSerializer(plan).data, status=201)


class InspectionListApi(APIView):
    """Cuộc kiểm tra the caller may see (filter ?year=, ?plan=); POST adds one with its team (PAR office)."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="inspections_list", parameters=[OpenApiParameter("year", int), OpenApiParameter("plan", int)],
                   responses={200: InspectionSerializer(many=True), **_errors(400, 403)})
    def get(self, request):
        _staff(request)
        qs = selectors.inspections_visible(request.user).prefetch_related("members__unit")
        for name, field in (("year", "plan__year"), ("plan", "plan_id")):
            raw = request.query_params.get(name)
            if raw:
                if not raw.isdigit():
                    raise DomainError(f"{name}: phải là số.", code="invalid", field=name)
                qs = qs.filter(**{field: int(raw)})
        return Response(InspectionSerializer(qs, many=True).data)

    @extend_schema(operation_id="inspections_create", request=inline_serializer("InspectionCreate", fields={
        "plan": serializers.IntegerField(), "unit": serializers.CharField(), "scope": serializers.CharField(),
        "planned_start": serializers.DateField(), "planned_end": serializers.DateField(),
        "members": inline_serializer("InspectionMemberIn", fields={
            "name": serializers.CharField(), "position": serializers.CharField(required=False), "unit": serializers.CharField(),
            "is_leader": serializers.BooleanField(required=False)}, many=True)}),
        responses={201: InspectionSerializer, **_errors(400, 403, 404)})
    def post(self, request):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        plan = selectors.plans_visible(user).filter(pk=data.get("plan") if str(data.get("plan") or "").isdigit() else None).first()
        if plan is None:
            raise NotFoundError("plan: không tìm thấy kế hoạch kiểm tra.", field="plan")
        members = data.get("members")
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            raise DomainError("members: phải là danh sách thành viên {name, position, unit, is_leader}.", code="invalid", field="members")
        members = [{**m, "unit": _unit(m.get("unit"), "members.unit")} for m in members]
        obj = services.inspection_create(plan=plan, unit=_unit(data.get("unit"), "unit"), scope=data.get("scope") or "",
                                         planned_start=_date(data, "planned_start"), planned_end=_date(data, "planned_end"),
                                         members=members, actor=user)
        return Response(InspectionSerializer(obj).data, status=201)


class InspectionDetailApi(APIView):
    """Một cuộc kiểm tra."""

    @extend_schema(operation_id="inspections_detail", responses={200: InspectionSerializer, **_errors(403, 404)})
    def get(self, request, pk: int):
        _staff(request)
        return Response(InspectionSerializer(_inspection(request, pk)).data)


class InspectionConductedApi(APIView):
    """Ghi nhận đã kiểm tra (actual dates, conclusion number)."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="inspections_conducted", request=inline_serializer("InspectionConducted", fields={
        "actual_start": serializers.DateField(), "actual_end": serializers.DateField(),
        "conclusion_number": serializers.CharField(required=False)}), responses={200: InspectionSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        obj = services.inspection_record_conducted(inspection=_inspection(request, pk), actual_start=_date(data, "actual_start"),
                                                   actual_end=_date(data, "actual_end"), conclusion_number=data.get("conclusion_number") or "",
                                                   actor=user)
        return Response(InspectionSerializer(obj).data)


class InspectionCloseApi(APIView):
    """Kết thúc cuộc kiểm tra: 409 (code open_recommendations) while a recommendation is open and not carried over."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="inspections_close", request=inline_serializer("InspectionClose", fields={
        "carry_over": serializers.DictField(child=serializers.CharField(), required=False,
                                            help_text="{id kiến nghị: lý do chuyển tiếp}"),
        "note": serializers.CharField(required=False)}), responses={200: InspectionSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        carry = data.get("carry_over") or {}
        if not isinstance(carry, dict) or not all(str(k).isdigit() for k in carry):
            raise DomainError("carry_over: phải là {id kiến nghị: lý do}.", code="invalid", field="carry_over")
        obj = services.inspection_close(inspection=_inspection(request, pk), carry_over={int(k): str(v or "") for k, v in carry.items()},
                                        note=data.get("note") or "", actor=user)
        return Response(InspectionSerializer(obj).data)


class FindingListApi(APIView):
    """Phát hiện of an inspection (those about an official only for the PAR office and the unit's head); POST adds one."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="inspections_findings_list", responses={200: FindingSerializer(many=True), **_errors(403, 404)})
    def get(self, request, pk: int):
        _staff(request)
        inspection = _inspection(request, pk)
        return Response(FindingSerializer(selectors.findings_visible(request.user, inspection), many=True).data)

    @extend_schema(operation_id="inspections_findings_create", request=inline_serializer("FindingCreate", fields={
        "text": serializers.CharField(), "severity": serializers.CharField(required=False),
        "official_name": serializers.CharField(required=False), "official_position": serializers.CharField(required=False),
        "conduct": serializers.CharField(required=False), "action_taken": serializers.CharField(required=False),
        "action_note": serializers.CharField(required=False)}), responses={201: FindingSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        f = services.finding_add(inspection=_inspection(request, pk), text=data.get("text") or "", severity=data.get("severity") or "minor",
                                 official_name=data.get("official_name") or "", official_position=data.get("official_position") or "",
                                 conduct=data.get("conduct") or "", action_taken=data.get("action_taken") or "",
                                 action_note=data.get("action_note") or "", actor=user)
        return Response(FindingSerializer(f).data, status=201)


class RecommendationListApi(APIView):
    """Kiến nghị of an inspection; POST adds one (PAR office)."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="inspections_recommendations_of", responses={200: RecommendationSerializer(many=True), **_errors(403, 404)})
    def get(self, request, pk: int):
        _staff(request)
        inspection = _inspection(request, pk)
        return Response(RecommendationSerializer(inspection.recommendations.select_related("responsible_unit"), many=True).data)

    @extend_schema(operation_id="inspections_recommendations_create", request=inline_serializer("RecommendationCreate", fields={
        "text": serializers.CharField(), "responsible_unit": serializers.CharField(), "deadline": serializers.DateField(),
        "finding": serializers.IntegerField(required=False)}), responses={201: RecommendationSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        inspection = _inspection(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        finding = None
        if data.get("finding") not in (None, ""):
            finding = Finding.objects.filter(pk=data["finding"] if str(data["finding"]).isdigit() else None).first()
            if finding is None:
                raise NotFoundError("finding: không tìm thấy phát hiện.", field="finding")
        rec = services.recommendation_add(inspection=inspection, text=data.get("text") or "",
                                          responsible_unit=_unit(data.get("responsible_unit"), "responsible_unit"),
                                          deadline=_date(data, "deadline"), finding=finding, actor=user)
        return Response(RecommendationSerializer(rec).data, status=201)


class RecommendationSearchApi(APIView):
    """Kiến nghị the caller may see; ?overdue=1 = the overdue list (PAR office, unit heads)."""

    @extend_schema(operation_id="inspections_recommendations_list", parameters=[OpenApiParameter("overdue", bool)],
                   responses={200: RecommendationSerializer(many=True), **_errors(403)})
    def get(self, request):
        user = _staff(request)
        if request.query_params.get("overdue") in {"1", "true", "yes"}:
            if not selectors.can_see_overdue_list(user):
                raise ForbiddenError("Danh sách kiến nghị quá hạn dành cho cơ quan thường trực CCHC và người đứng đầu đơn vị.")
            qs = selectors.overdue_recommendations(user=user)
        else:
            qs = selectors.recommendations_visible(user)
        return Response(RecommendationSerializer(qs, many=True).data)


class FollowUpApi(APIView):
    """Báo cáo thực hiện kiến nghị: list; POST (multipart: text, completes, evidence?) by the responsible unit."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def _rec(self, request, pk) -> Recommendation:
        rec = selectors.recommendations_visible(request.user).filter(pk=pk).first()
        if rec is None:
            raise NotFoundError("Không tìm thấy kiến nghị.")
        return rec

    @extend_schema(operation_id="inspections_follow_ups_list", responses={200: FollowUpSerializer(many=True), **_errors(403, 404)})
    def get(self, request, pk: int):
        _staff(request)
        return Response(FollowUpSerializer(self._rec(request, pk).follow_ups.all(), many=True).data)

    @extend_schema(operation_id="inspections_follow_ups_create", request={"multipart/form-data": inline_serializer("FollowUpCreate", fields={
        "text": serializers.CharField(), "completes": serializers.BooleanField(required=False),
        "evidence": serializers.FileField(required=False)})}, responses={201: FollowUpSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        rec = self._rec(request, pk)
        completes = str(request.data.get("completes") or "").lower() in {"1", "true", "on", "yes"}
        fu = services.follow_up_submit(recommendation=rec, text=request.data.get("text") or "", completes=completes,
                                       evidence=request.FILES.get("evidence"), actor=user)
        return Response(FollowUpSerializer(fu).data, status=201)
