"""Plan API (/api/v1/plans/): plans with nested tasks, tasks, status, progress reports with evidence.

Reads are scoped (`selectors.plans_visible` / `tasks_visible`: outside the scope → 404); writes go through one
service each, which checks the role (PAR office for the province plan, unit heads for their unit's plan and
progress). Errors are 4xx JSON {"detail", "code", "field"}.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, NotFoundError
from cchc.dossiers.api import validated
from cchc.dossiers.serializers import ErrorSerializer

from . import selectors, services
from . import serializers as s

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


def _plan(user, pk):
    p = selectors.plans_visible(user).select_related("unit", "issuing_unit").filter(pk=pk).first()
    if p is None:
        raise NotFoundError("Không có kế hoạch này (hoặc ngoài phạm vi của bạn).", code="not_found", field="plan")
    return p


def _task(user, pk):
    t = selectors.tasks_visible(user).select_related("plan", "unit", "responsible").filter(pk=pk).first()
    if t is None:
        raise NotFoundError("Không có nhiệm vụ này (hoặc ngoài phạm vi của bạn).", code="not_found", field="task")
    return t


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "version"}


class PlanListApi(APIView):
    """Kế hoạch CCHC trong phạm vi của người dùng; tạo kế hoạch (dự thảo)."""

    @extend_schema(operation_id="plans_list", parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", str)],
                   responses={200: s.ReformPlanSerializer(many=True), 403: ErrorSerializer})
    def get(self, request):
        qs = selectors.plans_visible(request.user).select_related("unit", "issuing_unit")
        year = request.query_params.get("year")
        if year:
            if not str(year).isdigit():
                raise DomainError("year: năm không hợp lệ.", code="invalid", field="year")
            qs = qs.filter(year=int(year))
        if request.query_params.get("unit"):
            qs = qs.filter(unit__code=request.query_params["unit"])
        return Response(s.ReformPlanSerializer(qs[:500], many=True).data)

    @extend_schema(operation_id="plans_create", request=s.PlanWriteSerializer, responses={201: s.ReformPlanDetailSerializer, **ERRORS})
    def post(self, request):
        data = validated(s.PlanWriteSerializer, request.data)
        for f in ("unit", "year"):
            if data.get(f) in (None, ""):
                raise DomainError(f"{f}: bắt buộc nhập.", code="required", field=f)
        plan = services.plan_create(actor=request.user, **_plain(data))
        return Response(s.ReformPlanDetailSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    @extend_schema(operation_id="plans_retrieve", responses={200: s.ReformPlanDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        return Response(s.ReformPlanDetailSerializer(_plan(request.user, pk)).data)

    @extend_schema(operation_id="plans_update", request=s.PlanWriteSerializer, responses={200: s.ReformPlanDetailSerializer, **ERRORS})
    def patch(self, request, pk: int):
        _plan(request.user, pk)
        data = validated(s.PlanWriteSerializer, request.data, partial=True)
        data.pop("unit", None), data.pop("year", None)
        plan = services.plan_update(plan=pk, actor=request.user, expected_version=data.get("version"), **_plain(data))
        return Response(s.ReformPlanDetailSerializer(plan).data)


class PlanIssueApi(APIView):
    @extend_schema(operation_id="plans_issue", request=s.PlanIssueSerializer, responses={200: s.ReformPlanDetailSerializer, **ERRORS})
    def post(self, request, pk: int):
        _plan(request.user, pk)
        data = validated(s.PlanIssueSerializer, request.data)
        plan = services.plan_issue(plan=pk, actor=request.user, number=data["number"], issued_on=data["issued_on"],
                                   expected_version=data.get("version"))
        return Response(s.ReformPlanDetailSerializer(plan).data)


class PlanTaskCreateApi(APIView):
    @extend_schema(operation_id="plans_tasks_create", request=s.TaskWriteSerializer, responses={201: s.TaskDetailSerializer, **ERRORS})
    def post(self, request, pk: int):
        _plan(request.user, pk)
        data = validated(s.TaskWriteSerializer, request.data)
        task = services.task_create(plan=pk, actor=request.user, **_plain(data))
        return Response(s.TaskDetailSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    @extend_schema(operation_id="plans_tasks_retrieve", responses={200: s.TaskDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        return Response(s.TaskDetailSerializer(_task(request.user, pk)).data)

    @extend_schema(operation_id="plans_tasks_update", request=s.TaskWriteSerializer, responses={200: s.TaskDetailSerializer, **ERRORS})
    def patch(self, request, pk: int):
        _task(request.user, pk)
        data = validated(s.TaskWriteSerializer, request.data, partial=True)
        task = services.task_update(task=pk, actor=request.user, expected_version=data.get("version"), **_plain(data))
        return Response(s.TaskDetailSerializer(task).data)


class TaskStatusApi(APIView):
    @extend_schema(operation_id="plans_tasks_status", request=s.TaskStatusSerializer, responses={200: s.TaskDetailSerializer, **ERRORS})
    def post(self, request, pk: int):
        _task(request.user, pk)
        data = validated(s.TaskStatusSerializer, request.data)
        task = services.task_set_status(task=pk, actor=request.user, status=data["status"], completed_on=data.get("completed_on"),
                                        achieved_value=data.get("achieved_value"), reason=data.get("reason", ""),
                                        expected_version=data.get("version"))
        return Response(s.TaskDetailSerializer(task).data)


class TaskProgressApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="plans_tasks_progress_list", responses={200: s.ProgressReportSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, pk: int):
        return Response(s.ProgressReportSerializer(_task(request.user, pk).reports.select_related("author"), many=True).data)

    @extend_schema(operation_id="plans_tasks_progress_create", request={"multipart/form-data": s.ProgressWriteSerializer},
                   responses={201: s.ProgressReportSerializer, 413: ErrorSerializer, **ERRORS})
    def post(self, request, pk: int):
        from cchc.dossiers.services import MAX_UPLOAD_BYTES

        _task(request.user, pk)
        upload = request.FILES.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            err = DomainError(f"file: tệp quá lớn; tối đa {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", code="too_large", field="file")
            return Response(err.as_dict(), status=413)
        data = validated(s.ProgressWriteSerializer, request.data)
        report = services.progress_report_add(task=pk, actor=request.user, content=data["content"], percent=data.get("percent"),
                                              reported_on=data.get("reported_on"), uploaded_file=data.get("file"))
        return Response(s.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)
