"""Dossier API (DRF): staff endpoints (token or session) and public lookup/rating (no login, throttled)."""

from __future__ import annotations

import hashlib
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, NotFoundError
from cchc.core.throttling import ScopedRateThrottle

from . import selectors, services
from .idempotency import idempotent_create
from .serializers import (
    ChecklistSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    DossierCreatedSerializer,
    DossierCreateSerializer,
    DossierListSerializer,
    DossierSerializer,
    ErrorSerializer,
    PublicDossierSerializer,
    RatingSerializer,
    TransitionSerializer,
)

IDEMPOTENCY_SCOPE = "dossier_create"


def _first_error(errors, prefix: str = "") -> tuple[str, str]:
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = key if key != "non_field_errors" else ""
            return _first_error(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
    if isinstance(errors, list) and errors:
        first = errors[0]
        if isinstance(first, (dict, list)):
            return _first_error(first, prefix)
        return prefix, str(first)
    return prefix, str(errors)


def validated(serializer_class, data, **kwargs) -> dict:
    """Run a serializer; on failure raise DomainError (400) naming the first field at fault."""
    s = serializer_class(data=data, **kwargs)
    if not s.is_valid():
        field, message = _first_error(s.errors)
        raise DomainError(f"{field}: {message}" if field else message, code="invalid", field=field or None,
                          extra={"errors": s.errors})
    return s.validated_data


def _canonical_hash(data) -> str:
    payload = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class DossierListCreateView(ListAPIView):
    """GET: scoped, paginated list. POST: receive a dossier (tiếp nhận), idempotent with Idempotency-Key."""

    serializer_class = DossierListSerializer

    def get_queryset(self):
        p = self.request.query_params
        due_before = None
        if p.get("due_before"):
            due_before = services.as_aware(p["due_before"], field="due_before")
        return selectors.dossier_list(user=self.request.user, status=p.get("status"), unit_code=p.get("unit"),
                                      due_before=due_before, q=p.get("q"))

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="Trạng thái (có thể nhiều, phân tách bằng dấu phẩy)"),
            OpenApiParameter("unit", str, description="Mã đơn vị tiếp nhận hoặc giải quyết"),
            OpenApiParameter("due_before", str, description="Hạn trả trước thời điểm (ISO 8601)"),
            OpenApiParameter("q", str, description="Mã hồ sơ, tên / số định danh / điện thoại người nộp, mã thủ tục"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DossierCreateSerializer,
        responses={201: DossierCreatedSerializer, 422: ErrorSerializer, **ERRORS},
        parameters=[OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False,
                                     description="Khoá chống tạo trùng: gửi lại cùng khoá nhận lại đúng phản hồi đầu tiên")],
    )
    def post(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key") or ""
        body_hash = _canonical_hash(request.data)

        def create():
            data = validated(DossierCreateSerializer, request.data)
            dossier = services.dossier_receive(
                actor=request.user, procedure_code=data["procedure_code"], unit_code=data["unit_code"],
                channel=data["channel"], applicant=dict(data["applicant"]), received_at=data.get("received_at"),
                result_channel=data.get("result_channel"), documents=data.get("documents"),
                payment=dict(data["payment"]) if data.get("payment") else None,
            )
            body = json.loads(json.dumps(DossierCreatedSerializer(dossier).data, default=str))
            return dossier, status.HTTP_201_CREATED, body

        outcome = idempotent_create(user=request.user, scope=IDEMPOTENCY_SCOPE, key=key, request_hash=body_hash,
                                    create=create)
        headers = {"Idempotent-Replayed": "true"} if outcome.replayed else None
        return Response(outcome.body, status=outcome.status, headers=headers)


class DossierDetailView(APIView):
    @extend_schema(responses={200: DossierSerializer, 404: ErrorSerializer})
    def get(self, request, code: str):
        d = selectors.dossier_get_for_user(user=request.user, code=code)
        return Response(DossierSerializer(d).data)


class DossierTransitionView(APIView):
    @extend_schema(request=TransitionSerializer, responses={200: DossierSerializer, **ERRORS})
    def post(self, request, code: str):
        selectors.dossier_get_for_user(user=request.user, code=code)  # 404 outside the caller's scope
        data = validated(TransitionSerializer, request.data)
        params = {k: v for k, v in data.items() if k not in ("action", "version", "reason")}
        d = services.dossier_transition(code=code, action=data["action"], actor=request.user, version=data["version"],
                                        reason=data.get("reason", ""), **params)
        return Response(DossierSerializer(d).data)


class DossierDocumentView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: DocumentSerializer, 413: ErrorSerializer, **ERRORS})
    def post(self, request, code: str):
        selectors.dossier_get_for_user(user=request.user, code=code)
        upload = request.FILES.get("file")
        if upload is not None and upload.size > services.MAX_UPLOAD_BYTES:
            err = DomainError(f"file: tệp quá lớn; tối đa {services.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.", code="too_large", field="file")
            return Response(err.as_dict(), status=413)
        data = validated(DocumentUploadSerializer, request.data)
        doc = services.dossier_attach_document(code=code, actor=request.user, uploaded_file=data["file"],
                                               name=data.get("name", ""), kind=data.get("kind") or "input")
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)


class PublicLookupThrottle(ScopedRateThrottle):
    """Per-client-IP limit of the "public_lookup" scope, read at request time (so settings overrides apply)."""

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class PublicDossierView(APIView):
    """Tra cứu hồ sơ công khai (không đăng nhập): mã hồ sơ + mã tra cứu."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicLookupThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True, description="Mã tra cứu in trên giấy tiếp nhận")],
        responses={200: PublicDossierSerializer, 404: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def get(self, request, code: str):
        d = selectors.public_dossier(code=code, token=request.query_params.get("token"))
        return Response(PublicDossierSerializer(selectors.public_status(d)).data)


class PublicRatingView(APIView):
    """Đánh giá sau khi nhận kết quả (một lần)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicLookupThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True)],
        request=RatingSerializer,
        responses={201: OpenApiTypes.OBJECT, 404: ErrorSerializer, 409: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request, code: str):
        if not hasattr(request.data, "items"):  # [] / null / 1: not a rating (was a 500 on .get)
            raise DomainError("Nội dung gửi lên phải là một đối tượng JSON, ví dụ {\"overall\": 5}.", code="invalid_body",
                              field=None)
        token = request.query_params.get("token") or request.data.get("token")
        if not isinstance(token, str):
            token = ""
        selectors.public_dossier(code=code, token=token)
        raw = dict(request.data.items())
        if isinstance(raw.get("aspects"), dict):  # also accept {"aspects": {"access": 5, ...}}
            raw = {**raw.pop("aspects"), **raw}
        data = validated(RatingSerializer, raw)
        aspects = {k: data[k] for k in ("access", "procedure", "officials", "result", "feedback") if k in data}
        rating = services.dossier_rate(code=code, token=token,
                                       overall=data["overall"], aspects=aspects, comment=data.get("comment", ""))
        return Response({"code": code, "overall": rating.overall, **aspects, "comment": rating.comment}, status=201)


class DossierStatisticsView(APIView):
    """Thống kê hồ sơ theo đơn vị / thủ tục / kênh trong kỳ (phạm vi của người gọi)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("date_to", OpenApiTypes.DATE, required=True),
            OpenApiParameter("group_by", str, description="unit | procedure | channel | none (có thể nhiều, phân tách dấu phẩy)"),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer},
    )
    def get(self, request):
        from datetime import date

        p = request.query_params
        try:
            date_from = date.fromisoformat(p.get("date_from", ""))
        except ValueError:
            raise DomainError("date_from: ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", field="date_from") from None
        try:
            date_to = date.fromisoformat(p.get("date_to", ""))
        except ValueError:
            raise DomainError("date_to: ngày không hợp lệ (YYYY-MM-DD).", code="invalid_date", field="date_to") from None
        raw = p.get("group_by", "unit")
        group_by = () if raw in ("", "none") else tuple(g.strip() for g in raw.split(",") if g.strip())
        rows = selectors.dossier_statistics(user=request.user, date_from=date_from, date_to=date_to, group_by=group_by)
        return Response({"date_from": date_from, "date_to": date_to, "group_by": list(group_by), "rows": rows})


class PublicTransparencyView(APIView):
    """Công khai kết quả giải quyết hồ sơ (không đăng nhập): the figures of the page /cong-khai/ — one province,
    1/1 to the end of yesterday (updated daily), total, by responsible unit and by procedure field. Read-only."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicLookupThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        parameters=[OpenApiParameter("tinh", str, description="Mã tỉnh (mặc định: tỉnh dùng nền tảng này)")],
        responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def get(self, request):
        from .public_views import published_figures

        code = request.query_params.get("tinh")
        _, province, data = published_figures(code)
        if data is None or (code and province.code != code):
            raise NotFoundError(f"tinh: không có tỉnh mã “{code or ''}”.", field="tinh")
        return Response({"province": {"code": province.code, "name": province.name}, "partial": True,
                         "date_from": data["date_from"], "date_to": data["date_to"], "total": data["total"],
                         "units": data["units"], "fields": data["fields"]})


class ChecklistView(APIView):
    """Thành phần hồ sơ của một thủ tục (catalogue, versioned): GET the version in force (mọi cán bộ);
    PUT (Sở Nội vụ / quản trị) saves the list as a new version (catalog.services.checklist_save)."""

    @staticmethod
    def _body(procedure_code: str) -> dict:
        from cchc.catalog.selectors import procedure_checklist

        checklist, rows = procedure_checklist(procedure=procedure_code)
        return {
            "procedure_code": procedure_code,
            "version": checklist.version if checklist else None,
            "effective_from": checklist.effective_from if checklist else None,
            "items": [
                {"id": r.pk, "name": r.name, "kind": r.kind, "original_copies": r.original_copies,
                 "photocopies": r.photocopies, "mandatory": r.mandatory, "form_name": r.form_name,
                 "note": r.note}
                for r in rows
            ],
        }

    @extend_schema(responses={200: ChecklistSerializer, 404: ErrorSerializer})
    def get(self, request, procedure_code: str):
        from cchc.catalog.models import Procedure

        if not Procedure.objects.filter(code=procedure_code).exists():
            raise NotFoundError(f"Không có thủ tục mã “{procedure_code}”.", code="not_found")
        return Response(self._body(procedure_code))

    @extend_schema(request=ChecklistSerializer, responses={200: ChecklistSerializer, **ERRORS})
    def put(self, request, procedure_code: str):
        from cchc.catalog.services import checklist_save

        data = validated(ChecklistSerializer, request.data)
        checklist_save(procedure_code=procedure_code, items=[dict(i) for i in data["items"]], actor=request.user,
                       effective_from=data.get("effective_from"), decision_no=data.get("decision_no", ""),
                       source="API /api/v1/checklists/")
        return Response(self._body(procedure_code))
