"""API of cchc.surveys: published national results (list, import) and SIPAS (surveys, results, answers).

Handlers parse input, call one service or selector and render; DomainError becomes a 4xx JSON body.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError, ForbiddenError, NotFoundError
from cchc.core.throttling import ScopedRateThrottle
from cchc.units.models import Unit

from . import selectors, services
from .models import PublishedResult


class PublishedResultSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", default=None, read_only=True)
    source_urls = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = PublishedResult
        fields = [
            "id", "index_kind", "component", "year", "entity_kind", "entity_name", "unit_code", "score", "rank", "rank_of",
            "rank_reliability", "regional_rank", "group", "previous_score_stated", "change_stated", "rank_change_stated",
            "source_name", "source_urls", "note", "flagged", "flags",
        ]


ImportSummarySerializer = inline_serializer("PublishedImportSummary", fields={
    "format": serializers.CharField(), "index_kind": serializers.JSONField(), "imported": serializers.IntegerField(),
    "updated": serializers.IntegerField(), "unchanged": serializers.IntegerField(), "flagged": serializers.JSONField(),
    "rejected": serializers.JSONField(),
})


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)):
        raise ForbiddenError("Chỉ cán bộ, công chức được dùng chức năng này.")
    return user


class PublishedResultListApi(APIView):
    """Kết quả chỉ số quốc gia đã công bố (public figures with their sources and flags)."""

    @extend_schema(
        operation_id="surveys_published_results_list",
        parameters=[OpenApiParameter("kind", str), OpenApiParameter("year", int), OpenApiParameter("province", str),
                    OpenApiParameter("flagged", bool)],
        responses=PublishedResultSerializer(many=True),
    )
    def get(self, request):
        _staff(request)
        qs = PublishedResult.objects.select_related("unit").order_by("index_kind", "-year", "rank", "entity_name")
        if request.query_params.get("kind"):
            qs = qs.filter(index_kind=request.query_params["kind"])
        year = request.query_params.get("year")
        if year:
            if not year.isdigit():
                raise DomainError("year: phải là số năm.", field="year")
            qs = qs.filter(year=int(year))
        if request.query_params.get("province"):
            from cchc.units.selectors import province_by_name_or_code

            province = province_by_name_or_code(request.query_params["province"])
            if province is None:
                raise NotFoundError("Không tìm thấy tỉnh.", field="province")
            qs = qs.filter(unit_id__in=selectors._lineage_ids(province))
        if request.query_params.get("flagged") in {"1", "true", "yes"}:
            qs = qs.filter(flagged=True)
        return Response(PublishedResultSerializer(qs, many=True).data)


class PublishedResultImportApi(APIView):
    """Nhập kết quả đã công bố từ CSV (multipart field `file`; optional `index_kind`)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="surveys_published_results_import",
        request={"multipart/form-data": inline_serializer("PublishedImportRequest", fields={
            "file": serializers.FileField(), "index_kind": serializers.CharField(required=False)})},
        responses=ImportSummarySerializer,
    )
    def post(self, request):
        user = _staff(request)
        province = user.unit.province_unit if user.unit_id else None
        if not (user.is_system_admin or (province is not None and can(user, "appraise", province))):
            raise ForbiddenError("Chỉ cơ quan thường trực CCHC được nhập kết quả chỉ số.")
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("Thiếu tệp CSV (trường file).", field="file")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (Path(upload.name).name or "ket-qua.csv")
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            summary = services.published_results_import(path=path, actor=user, index_kind=request.data.get("index_kind") or None)
        return Response(summary)


def _survey(request, pk):
    survey = selectors.survey_list(user=request.user).filter(pk=pk).first()
    if survey is None:
        raise NotFoundError("Không tìm thấy đợt khảo sát.")
    return survey


class SurveyListApi(APIView):
    """Đợt khảo sát SIPAS the caller may see."""

    @extend_schema(operation_id="surveys_list", responses=inline_serializer("SurveyItem", fields={
        "id": serializers.IntegerField(), "title": serializers.CharField(), "year": serializers.IntegerField(),
        "status": serializers.CharField(), "questionnaire": serializers.CharField()}, many=True))
    def get(self, request):
        _staff(request)
        return Response([
            {"id": s.pk, "title": s.title, "year": s.year, "status": s.status,
             "questionnaire": f"{s.questionnaire.code} v{s.questionnaire.version}"}
            for s in selectors.survey_list(user=request.user)
        ])


class SurveyResultsApi(APIView):
    """Kết quả SIPAS per unit: aspect indices with margins of error and the overall index (rule UNCONFIRMED)."""

    @extend_schema(operation_id="surveys_results", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        user = _staff(request)
        survey = _survey(request, pk)
        visible = [s.unit_id for s in selectors.survey_units(survey=survey, user=user)]
        results = selectors.survey_results(survey=survey, units=visible)
        return Response({
            "survey": survey.pk,
            "rule": survey.questionnaire.scoring_rule,
            "units": [
                {"unit": d["unit"].code, "unit_name": d["unit"].name, "population": d["sample"].population,
                 "sample_size": d["sample"].sample_size, "sources": d["sources"], **d["result"].as_dict()}
                for d in sorted(results.values(), key=lambda d: d["unit"].code)
            ],
        })


class PaperResponseApi(APIView):
    """Nhập một phiếu giấy: {"unit": code, "answers": {question_code: 1..5 | null}, "paper_number"?}."""

    parser_classes = [JSONParser]

    @extend_schema(operation_id="surveys_paper_response", request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        user = _staff(request)
        survey = _survey(request, pk)
        data = request.data if isinstance(request.data, dict) else {}
        unit = Unit.objects.filter(code=str(data.get("unit") or "")).first()
        if unit is None:
            raise NotFoundError("Không tìm thấy đơn vị.", field="unit")
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise DomainError("answers: phải là đối tượng {mã câu hỏi: 1..5}.", field="answers")
        r = services.response_enter_paper(survey=survey, unit=unit, answers=answers, paper_number=str(data.get("paper_number") or ""),
                                          comment=str(data.get("comment") or ""), actor=user)
        return Response({"id": r.pk, "unit": unit.code, "channel": r.channel}, status=201)


class PublicResponseApi(APIView):
    """Người dân trả lời qua đường dẫn một lần (không cần đăng nhập; giới hạn tần suất)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_lookup"
    parser_classes = [JSONParser]

    @extend_schema(operation_id="surveys_public_response", request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, token: str):
        data = request.data if isinstance(request.data, dict) else {}
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise DomainError("answers: phải là đối tượng {mã câu hỏi: 1..5}.", field="answers")
        services.response_submit_online(token=token, answers=answers, comment=str(data.get("comment") or ""))
        return Response({"detail": "Cảm ơn Ông/Bà đã trả lời."}, status=201)
