"""API of cchc.commendations (/api/v1/commendations/): rules, proposals (compute, edit, decide)."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, ForbiddenError, NotFoundError
from cchc.units.models import Unit

from . import selectors, services
from .models import Candidate, CommendationRule, Proposal

ErrorSerializer = inline_serializer("CommendationError", fields={
    "detail": serializers.CharField(), "code": serializers.CharField(), "field": serializers.CharField(required=False, allow_null=True)})


def _errors(*codes: int) -> dict:
    text = {400: "Dữ liệu không hợp lệ (field + quy tắc)", 403: "Không có quyền", 404: "Không tìm thấy", 409: "Trạng thái không cho phép"}
    return {c: OpenApiResponse(ErrorSerializer, description=text[c]) for c in codes}


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)):
        raise ForbiddenError("Chỉ cán bộ, công chức được dùng chức năng này.")
    return user


def _province(user, data):
    code = data.get("province")
    if code:
        unit = Unit.objects.filter(code=str(code)).first()
    else:
        unit = user.unit.province_unit if user.unit_id else None
    if unit is None:
        raise NotFoundError("province: không tìm thấy tỉnh.", field="province")
    return unit


def _year(data) -> int:
    raw = str(data.get("year") or "")
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise DomainError("year: phải là số năm.", code="invalid", field="year")
    return int(raw)


class RuleSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)

    class Meta:
        model = CommendationRule
        fields = ["id", "province", "year", "kind", "form", "cycle", "top_n", "min_settled"]


class CandidateSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", default=None, read_only=True)
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "unit", "unit_name", "official_name", "official_position", "form", "basis", "facts", "manual", "added_reason",
                  "removed", "removed_reason"]


class ProposalSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    candidates = CandidateSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "province", "year", "status", "computed_at", "decision_number", "decision_date", "candidates"]


class RuleListApi(APIView):
    """Tiêu chí khen thưởng (PAR office and province leaders); POST sets one (PAR office)."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="commendations_rules_list", responses={200: RuleSerializer(many=True), **_errors(403)})
    def get(self, request):
        _staff(request)
        return Response(RuleSerializer(selectors.rules_visible(request.user), many=True).data)

    @extend_schema(operation_id="commendations_rules_create", request=inline_serializer("CommendationRuleCreate", fields={
        "province": serializers.CharField(required=False), "year": serializers.IntegerField(), "kind": serializers.CharField(),
        "form": serializers.CharField(), "cycle": serializers.IntegerField(required=False), "top_n": serializers.IntegerField(required=False),
        "min_settled": serializers.IntegerField(required=False)}), responses={201: RuleSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        cycle = None
        if data.get("cycle") not in (None, ""):
            from cchc.indices.models import AssessmentCycle

            cycle = AssessmentCycle.objects.filter(pk=data["cycle"] if str(data["cycle"]).isdigit() else None).first()
            if cycle is None:
                raise NotFoundError("cycle: không tìm thấy kỳ đánh giá.", field="cycle")
        top_n = data.get("top_n")
        if top_n not in (None, "") and not str(top_n).isdigit():
            raise DomainError("top_n: phải là số nguyên dương.", code="invalid", field="top_n")
        min_settled = str(data.get("min_settled") or "1")
        if not min_settled.isdigit():
            raise DomainError("min_settled: phải là số nguyên.", code="invalid", field="min_settled")
        rule = services.rule_create(province=_province(user, data), year=_year(data), kind=str(data.get("kind") or ""),
                                    form=str(data.get("form") or ""), cycle=cycle, top_n=int(top_n) if top_n not in (None, "") else None,
                                    min_settled=int(min_settled), actor=user)
        return Response(RuleSerializer(rule).data, status=201)


class ProposalListApi(APIView):
    """Danh sách khen thưởng the caller may see (drafts: PAR office and leaders; decided: the province's staff)."""

    @extend_schema(operation_id="commendations_proposals_list", responses={200: ProposalSerializer(many=True), **_errors(403)})
    def get(self, request):
        _staff(request)
        return Response(ProposalSerializer(selectors.proposals_visible(request.user).prefetch_related("candidates__unit"), many=True).data)


class ProposalComputeApi(APIView):
    """Tính (lại) danh sách đề nghị của một năm từ các tiêu chí; the office's edits are kept."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="commendations_proposals_compute", request=inline_serializer("CommendationCompute", fields={
        "province": serializers.CharField(required=False), "year": serializers.IntegerField()}),
        responses={200: ProposalSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request):
        user = _staff(request)
        data = request.data if isinstance(request.data, dict) else {}
        p = services.proposal_compute(province=_province(user, data), year=_year(data), actor=user)
        return Response(ProposalSerializer(p).data)


class ProposalDetailApi(APIView):
    @extend_schema(operation_id="commendations_proposal_detail", responses={200: ProposalSerializer, **_errors(403, 404)})
    def get(self, request, pk: int):
        user = _staff(request)
        return Response(ProposalSerializer(services.proposal_get(user=user, pk=pk)).data)


class CandidateAddApi(APIView):
    """Bổ sung đơn vị (unit code) hoặc cá nhân (official_name) với lý do."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="commendations_candidates_add", request=inline_serializer("CommendationCandidateAdd", fields={
        "unit": serializers.CharField(required=False), "official_name": serializers.CharField(required=False),
        "official_position": serializers.CharField(required=False), "form": serializers.CharField(), "reason": serializers.CharField(),
        "basis": serializers.CharField(required=False)}), responses={201: CandidateSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        p = services.proposal_get(user=user, pk=pk)
        data = request.data if isinstance(request.data, dict) else {}
        unit = None
        if data.get("unit"):
            unit = Unit.objects.filter(code=str(data["unit"])).first()
            if unit is None:
                raise NotFoundError("unit: không tìm thấy đơn vị.", field="unit")
        c = services.candidate_add(proposal=p, unit=unit, official_name=data.get("official_name") or "",
                                   official_position=data.get("official_position") or "", form=str(data.get("form") or ""),
                                   reason=data.get("reason") or "", basis=data.get("basis") or "", actor=user)
        return Response(CandidateSerializer(c).data, status=201)


class CandidateRemoveApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="commendations_candidates_remove", request=inline_serializer("CommendationCandidateRemove", fields={
        "reason": serializers.CharField()}), responses={200: CandidateSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        c = Candidate.objects.filter(pk=pk, proposal__in=selectors.proposals_visible(user)).select_related("proposal__province").first()
        if c is None:
            raise NotFoundError("Không tìm thấy đối tượng.")
        data = request.data if isinstance(request.data, dict) else {}
        return Response(CandidateSerializer(services.candidate_remove(candidate=c, reason=data.get("reason") or "", actor=user)).data)


class ProposalDecideApi(APIView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="commendations_proposals_decide", request=inline_serializer("CommendationDecide", fields={
        "decision_number": serializers.CharField(), "decision_date": serializers.DateField()}),
        responses={200: ProposalSerializer, **_errors(400, 403, 404, 409)})
    def post(self, request, pk: int):
        user = _staff(request)
        p = services.proposal_get(user=user, pk=pk)
        data = request.data if isinstance(request.data, dict) else {}
        try:
            day = dt.date.fromisoformat(str(data.get("decision_date") or ""))
        except ValueError:
            raise DomainError("decision_date: ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", field="decision_date") from None
        return Response(ProposalSerializer(services.proposal_decide(proposal=p, decision_number=data.get("decision_number") or "",
                                                                    decision_date=day, actor=user)).data)
