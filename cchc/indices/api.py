"""Index API (/api/v1/indices/...): criteria sets, cycles, assessments, results, lost points, path to target.

Handlers only parse input, call one service or selector, and render; permissions and scoping live in
the services/selectors (cchc.accounts.permissions).
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import NotFoundError
from cchc.units.models import Unit

from . import selectors, services
from . import serializers as s
from .models import CriteriaSet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(code) -> Unit:
    unit = Unit.objects.filter(code=str(code).strip()).first()
    if unit is None:
        raise NotFoundError(f"Không tìm thấy đơn vị {code!r}.", code="unknown_unit", field="unit")
    return unit


def _criteria_set(user, pk) -> CriteriaSet:
    cs = selectors.criteria_sets_visible(user).filter(pk=pk).first()
    if cs is None:
        raise NotFoundError("Không tìm thấy bộ tiêu chí.")
    return cs


def _valid(serializer_class, data):
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def _home_province(user):
    unit = getattr(user, "unit", None)
    return unit.province_unit if unit is not None else None


# ------------------------------------------------------------------------------------- criteria sets


class CriteriaSetListApi(APIView):
    """Danh sách bộ tiêu chí (national sets, templates and the user's province's own sets)."""

    @extend_schema(operation_id="indices_criteria_sets_list", responses=s.IndexCriteriaSetSerializer(many=True))
    def get(self, request):
        return Response(s.IndexCriteriaSetSerializer(selectors.criteria_sets_visible(request.user), many=True).data)


class CriteriaSetDetailApi(APIView):
    """Chi tiết bộ tiêu chí, with the tree (fields → criteria → sub-criteria)."""

    @extend_schema(operation_id="indices_criteria_sets_detail", responses=s.IndexCriteriaSetDetailSerializer)
    def get(self, request, pk: int):
        cs = _criteria_set(request.user, pk)
        cs.tree = selectors.criteria_as_tree_dicts(cs)
        return Response(s.IndexCriteriaSetDetailSerializer(cs).data)


class CriteriaSetImportApi(APIView):
    """Nhập bộ tiêu chí từ CSV/XLSX; the new set belongs to the user's province (PAR office)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="indices_criteria_sets_import", request={"multipart/form-data": s.IndexCriteriaSetImportSerializer},
                   responses={201: s.IndexCriteriaSetSerializer})
    def post(self, request):
        from .criteria_io import read_criteria

        data = _valid(s.IndexCriteriaSetImportSerializer, request.data)
        upload = data["file"]
        rows = read_criteria(upload.read(), filename=upload.name or "criteria.csv")
        cs = services.criteria_set_create(
            code=data["code"], name=data["name"], year=data["year"], target_group=data["target_group"], rows=rows,
            owner=_home_province(request.user), actor=request.user,
        )
        return Response(s.IndexCriteriaSetSerializer(cs).data, status=201)


class CriteriaSetCopyApi(APIView):
    """Sao chép bộ tiêu chí (e.g. an internal-index template) into the user's province."""

    @extend_schema(operation_id="indices_criteria_sets_copy", request=s.IndexCriteriaSetCopySerializer, responses={201: s.IndexCriteriaSetSerializer})
    def post(self, request, pk: int):
        source = _criteria_set(request.user, pk)
        data = _valid(s.IndexCriteriaSetCopySerializer, request.data)
        owner = _unit(data["owner"]) if data.get("owner") else _home_province(request.user)
        if owner is None:
            raise NotFoundError("Cần chỉ rõ đơn vị sở hữu bản sao.", code="unknown_unit", field="owner")
        cs = services.criteria_set_copy(source=source, owner=owner, year=data["year"], code=data.get("code"), name=data.get("name"), actor=request.user)
        return Response(s.IndexCriteriaSetSerializer(cs).data, status=201)


class CriteriaSetExportApi(APIView):
    """Xuất bộ tiêu chí ra CSV hoặc XLSX."""

    @extend_schema(operation_id="indices_criteria_sets_export",
                   parameters=[OpenApiParameter("format", str, enum=["csv", "xlsx"], description="csv (mặc định) hoặc xlsx")],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        from .criteria_io import export_criteria_csv, export_criteria_xlsx

        cs = _criteria_set(request.user, pk)
        if request.query_params.get("format") == "xlsx":
            body, ctype, ext = export_criteria_xlsx(cs), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        else:
            body, ctype, ext = export_criteria_csv(cs), "text/csv; charset=utf-8", "csv"
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{cs.code}.{ext}"'
        return response

    # DRF content negotiation would reject ?format=xlsx as an unknown renderer suffix
    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


# --------------------------------------------------------------------------------------------- cycles


class CycleListApi(APIView):
    """Kỳ đánh giá: list (scoped) and open a new one (PAR office)."""

    @extend_schema(operation_id="indices_cycles_list", responses=s.IndexCycleSerializer(many=True))
    def get(self, request):
        return Response(s.IndexCycleSerializer(selectors.cycles_visible(request.user), many=True).data)

    @extend_schema(operation_id="indices_cycles_open", request=s.IndexCycleOpenSerializer, responses={201: s.IndexCycleSerializer})
    def post(self, request):
        data = _valid(s.IndexCycleOpenSerializer, request.data)
        cs = selectors.criteria_sets_visible(request.user).filter(code=data["criteria_set"]).first()
        if cs is None:
            raise NotFoundError("Không tìm thấy bộ tiêu chí.", field="criteria_set")
        previous = selectors.cycle_get(cycle_id=data["previous"], user=request.user) if data.get("previous") else None
        cycle = services.cycle_open(
            criteria_set=cs, organiser=_unit(data["organiser"]), year=data["year"], units=[_unit(c) for c in data["units"]],
            name=data.get("name"), previous=previous, actor=request.user,
            deadlines={k: data[k] for k in ("self_assessment_due", "explanation_due", "publication_due") if data.get(k)},
        )
        return Response(s.IndexCycleSerializer(cycle).data, status=201)


class CycleDetailApi(APIView):
    @extend_schema(operation_id="indices_cycles_detail", responses=s.IndexCycleSerializer)
    def get(self, request, pk: int):
        return Response(s.IndexCycleSerializer(selectors.cycle_get(cycle_id=pk, user=request.user)).data)


class CycleTransitionApi(APIView):
    """Chuyển bước kỳ đánh giá: draft → self_assessment → appraisal_1 → explanation → appraisal_2 → published."""

    @extend_schema(operation_id="indices_cycles_transition", request=s.IndexTransitionSerializer, responses=s.IndexCycleSerializer)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexTransitionSerializer, request.data)
        cycle = services.cycle_transition(cycle=cycle, to_state=data["to_state"], reason=data["reason"], expected_version=data.get("version"),
                                           confirm=data["confirm"], actor=request.user)
        return Response(s.IndexCycleSerializer(cycle).data)


class AssessmentListApi(APIView):
    """Điểm tự đánh giá, thẩm định lần 1 và lần 2 (side by side), scoped to the user."""

    @extend_schema(operation_id="indices_assessments_list", parameters=[OpenApiParameter("unit", str, description="Mã đơn vị")],
                   responses=s.IndexAssessmentSerializer(many=True))
    def get(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        unit = _unit(request.query_params["unit"]) if request.query_params.get("unit") else None
        rows = selectors.cycle_assessments(cycle, unit=unit, user=request.user)
        return Response(s.IndexAssessmentSerializer(rows, many=True).data)


class SelfAssessApi(APIView):
    """Tự đánh giá một tiêu chí thành phần (unit staff with "manage")."""

    @extend_schema(operation_id="indices_self_assess", request=s.IndexSelfAssessSerializer, responses=s.IndexAssessmentSerializer)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexSelfAssessSerializer, request.data)
        a = services.assessment_self_assess(
            cycle=cycle, unit=_unit(data["unit"]), criterion=data["criterion"], points=data["points"],
            explanation=data["explanation"], evidence=data["evidence"], actor=request.user,
        )
        return Response(s.IndexAssessmentSerializer(a).data)


class EvidenceUploadApi(APIView):
    """Thêm tài liệu kiểm chứng (tệp tải lên hoặc số, ngày văn bản) cho một tiêu chí đã tự đánh giá."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="indices_evidence_add", request={"multipart/form-data": s.IndexEvidenceUploadSerializer},
                   responses={201: s.IndexEvidenceSerializer})
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexEvidenceUploadSerializer, request.data)
        unit = _unit(data["unit"])
        assessment = selectors.cycle_assessments(cycle, unit=unit, user=request.user).filter(criterion__code=data["criterion"]).first()
        if assessment is None:
            raise NotFoundError("Chưa có điểm tự đánh giá cho tiêu chí này; hãy tự đánh giá trước.", code="no_assessment", field="criterion")
        upload = data.get("file")
        ev = services.evidence_add(
            assessment=assessment, actor=request.user, title=data["title"] or (upload.name if upload else ""),
            document_number=data["document_number"], document_date=data["document_date"], url=data["url"], file=upload,
        )
        return Response(s.IndexEvidenceSerializer(ev).data, status=201)


class AppraiseApi(APIView):
    """Thẩm định (round 1 or 2 by the cycle state): accept or adjust with a reason (PAR office)."""

    @extend_schema(operation_id="indices_appraise", request=s.IndexAppraiseSerializer, responses=s.IndexAssessmentSerializer)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexAppraiseSerializer, request.data)
        a = services.assessment_appraise(cycle=cycle, unit=_unit(data["unit"]), criterion=data["criterion"], points=data["points"],
                                         reason=data["reason"], actor=request.user)
        return Response(s.IndexAssessmentSerializer(a).data)


class ExplainApi(APIView):
    """Giải trình (once per sub-criterion) after the first appraisal round."""

    @extend_schema(operation_id="indices_explain", request=s.IndexExplainSerializer, responses=s.IndexAssessmentSerializer)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexExplainSerializer, request.data)
        a = services.assessment_explain(cycle=cycle, unit=_unit(data["unit"]), criterion=data["criterion"], explanation=data["explanation"], actor=request.user)
        return Response(s.IndexAssessmentSerializer(a).data)


class DataImportApi(APIView):
    """Nhập số liệu cho tiêu chí tính từ dữ liệu: rows {unit, metric, value}."""

    @extend_schema(operation_id="indices_data_import", request=s.IndexRowsSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexRowsSerializer, request.data)
        return Response(services.criterion_data_import(cycle=cycle, rows=data["rows"], actor=request.user))


class SurveyScoresImportApi(APIView):
    """Nhập điểm điều tra xã hội học: rows {unit, code, points}."""

    @extend_schema(operation_id="indices_survey_scores_import", request=s.IndexRowsSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexRowsSerializer, request.data)
        return Response(services.survey_scores_import(cycle=cycle, rows=data["rows"], actor=request.user))


# -------------------------------------------------------------------------------------------- results


class ResultsApi(APIView):
    """Kết quả (live until published, then the frozen snapshot), scoped to the user's units."""

    @extend_schema(operation_id="indices_results", responses=s.IndexResultSerializer(many=True))
    def get(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        return Response(s.IndexResultSerializer(selectors.cycle_results(cycle=cycle, user=request.user), many=True).data)


class GroupFiguresApi(APIView):
    """Số liệu nhóm: mean/median/min/max, by region, distribution, top and bottom per group."""

    @extend_schema(operation_id="indices_group_figures", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        return Response(selectors.group_figures(cycle=cycle, user=request.user))


class LostPointsApi(APIView):
    """Bảng điểm bị trừ, largest loss first; ?format=xlsx|pdf downloads the report."""

    @extend_schema(operation_id="indices_lost_points",
                   parameters=[OpenApiParameter("unit", str, description="Mã đơn vị"),
                               OpenApiParameter("format", str, enum=["json", "xlsx", "pdf"])],
                   responses={(200, "application/json"): s.IndexLostPointRowSerializer(many=True),
                              (200, XLSX): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        unit = _unit(request.query_params["unit"]) if request.query_params.get("unit") else None
        fmt = request.query_params.get("format")
        if fmt in ("xlsx", "pdf"):
            from .reports import lost_points_pdf, lost_points_xlsx

            if fmt == "xlsx":
                body, ctype = lost_points_xlsx(cycle_id=cycle.pk, user=request.user, unit=unit), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            else:
                body, ctype = lost_points_pdf(cycle_id=cycle.pk, user=request.user, unit=unit), "application/pdf"
            response = HttpResponse(body, content_type=ctype)
            response["Content-Disposition"] = f'attachment; filename="diem-bi-tru-ky-{cycle.pk}.{fmt}"'
            return response
        return Response(s.IndexLostPointRowSerializer(selectors.lost_points(cycle=cycle, user=request.user, unit=unit), many=True).data)

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)


class PathToTargetApi(APIView):
    """Lộ trình đạt hạng k: needed index and the lost sub-criteria to recover first (greedy by points per effort)."""

    @extend_schema(operation_id="indices_path_to_target", request=s.IndexPathToTargetInputSerializer, responses=s.IndexPathToTargetSerializer)
    def post(self, request, pk: int):
        cycle = selectors.cycle_get(cycle_id=pk, user=request.user)
        data = _valid(s.IndexPathToTargetInputSerializer, request.data)
        peers = [dict(p) for p in data["peers"]] if "peers" in data else None
        plan = selectors.path_to_target(cycle=cycle, unit=_unit(data["unit"]), target_rank=data["target_rank"], peers=peers, user=request.user)
        return Response(s.IndexPathToTargetSerializer(plan).data)
