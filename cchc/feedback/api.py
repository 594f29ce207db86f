"""API of cchc.feedback: citizens file and follow their own feedback; staff classify, route, answer, publish;
the public list of published answers; dialogues. Handlers parse input, call one service or selector, render.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.core.errors import DomainError, NotFoundError
from cchc.core.openapi import paginated
from cchc.core.throttling import ScopedRateThrottle
from cchc.dossiers.serializers import ErrorSerializer

from . import access, selectors, services
from .models import Channel, Dialogue, Feedback, Kind, Status, Subject

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class FeedbackSerializer(serializers.ModelSerializer):
    """A feedback as the reader may see it: the sender's personal data masked unless the reader may see it."""

    unit_code = serializers.CharField(source="unit.code", default=None, read_only=True)
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", default=None, read_only=True)
    dossier_code = serializers.CharField(source="dossier.code", default=None, read_only=True)
    overdue = serializers.SerializerMethodField()
    on_time = serializers.SerializerMethodField()
    sender_phone = serializers.SerializerMethodField()
    sender_email = serializers.SerializerMethodField()
    sender_address = serializers.SerializerMethodField()
    sender_id_number = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id", "code", "kind", "channel", "status", "title", "content", "sender_name", "sender_is_organisation",
            "sender_phone", "sender_email", "sender_address", "sender_id_number", "subject", "field", "unit_code", "unit_name",
            "procedure_code", "dossier_code", "received_at", "classify_due", "due_date", "answer_days", "answer", "answered_at",
            "answered_on", "reject_reason", "is_published", "public_summary", "published_at", "overdue", "on_time",
        ]

    def _p(self, obj) -> dict:
        return access.personal(self.context["request"].user, obj)

    def get_sender_phone(self, obj) -> str:
        return self._p(obj)["sender_phone"]

    def get_sender_email(self, obj) -> str:
        return self._p(obj)["sender_email"]

    def get_sender_address(self, obj) -> str:
        return self._p(obj)["sender_address"]

    def get_sender_id_number(self, obj) -> str:
        return self._p(obj)["sender_id_number"]

    def get_overdue(self, obj) -> bool:
        return obj.is_open and obj.due_date < timezone.localdate()

    def get_on_time(self, obj) -> bool | None:
        return None if obj.answered_on is None or obj.status == Status.REJECTED else obj.answered_on <= obj.due_date


class FeedbackFileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(max_length=300)
    content = serializers.CharField(max_length=services.MAX_TEXT)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.PORTAL)
    province = serializers.CharField(required=False, allow_blank=True, help_text="Mã tỉnh (bắt buộc với người dân khi không nêu hồ sơ)")
    procedure = serializers.CharField(required=False, allow_blank=True, help_text="Mã thủ tục, vd. 1.001193")
    dossier = serializers.CharField(required=False, allow_blank=True, help_text="Mã hồ sơ của chính người gửi")
    sender_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    sender_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    sender_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    sender_address = serializers.CharField(required=False, allow_blank=True, max_length=500)
    sender_id_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    sender_is_organisation = serializers.BooleanField(required=False, default=False)


class ClassifySerializer(serializers.Serializer):
    subject = serializers.ChoiceField(choices=Subject.choices)
    field = serializers.CharField(required=False, allow_blank=True, max_length=255)
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)


class RouteSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị xử lý")
    note = serializers.CharField(required=False, allow_blank=True)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class PublishSerializer(serializers.Serializer):
    public_summary = serializers.CharField(max_length=3000)


class PublicFeedbackSerializer(serializers.ModelSerializer):
    """A published answer: no sender, no personal data, only the public summary and the answer."""

    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)
    procedure_name = serializers.CharField(source="procedure.name", default=None, read_only=True)
    answer = serializers.SerializerMethodField(help_text="Nội dung trả lời, thông tin cá nhân của người gửi được che")

    class Meta:
        model = Feedback
        fields = ["code", "kind", "subject", "field", "public_summary", "answer", "unit_name", "procedure_name", "received_at",
                  "answered_on", "published_at"]

    def get_answer(self, obj) -> str:
        return access.public_text(obj, obj.answer)


class DialogueIssueSerializer(serializers.Serializer):
    raised_by = serializers.CharField(required=False, allow_blank=True, max_length=255)
    content = serializers.CharField()
    answer = serializers.CharField(required=False, allow_blank=True)
    as_feedback = serializers.BooleanField(required=False, default=False, help_text="Tạo phản ánh (kênh đối thoại) để theo dõi")
    feedback_code = serializers.SerializerMethodField()

    def get_feedback_code(self, obj) -> str | None:
        fb = getattr(obj, "feedback", None) if not isinstance(obj, dict) else None
        return fb.code if fb is not None else None


class DialogueFollowUpSerializer(serializers.Serializer):
    content = serializers.CharField()
    unit = serializers.CharField(help_text="Mã đơn vị thực hiện")
    deadline = serializers.DateField()
    done_on = serializers.DateField(read_only=True, allow_null=True)

    def to_representation(self, obj):
        return {"content": obj.content, "unit": obj.unit.code, "unit_name": obj.unit.name, "deadline": obj.deadline.isoformat(),
                "done_on": obj.done_on.isoformat() if obj.done_on else None}


class DialogueSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", help_text="Mã đơn vị tổ chức")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    issues = DialogueIssueSerializer(many=True, required=False)
    follow_ups = DialogueFollowUpSerializer(many=True, required=False)

    class Meta:
        model = Dialogue
        fields = ["id", "unit", "unit_name", "held_on", "title", "chaired_by", "location", "participants_count", "summary", "issues", "follow_ups"]
        read_only_fields = ["id"]


def _page(request, qs, serializer_cls, view):
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(qs, request, view=view)
    return paginator.get_paginated_response(serializer_cls(page, many=True, context={"request": request}).data)


def _feedback(request, pk: int) -> Feedback:
    fb = selectors.feedback_for(request.user).filter(pk=pk).first()
    if fb is None:
        raise NotFoundError("Không tìm thấy phản ánh (hoặc bạn không có quyền xem).")
    return fb


def _valid(serializer_cls, request):
    s = serializer_cls(data=request.data)
    if not s.is_valid():
        field, errors = next(iter(s.errors.items()))
        raise DomainError(f"{field}: {errors[0] if isinstance(errors, list) else errors}", code="invalid", field=field)
    return s.validated_data


def _unit_by_code(code, field: str):
    from cchc.units.models import Unit

    unit = Unit.objects.filter(code=str(code or "").strip()).first()
    if unit is None:
        raise DomainError(f"{field}: không tìm thấy đơn vị có mã «{code}».", code="not_found", field=field)
    return unit


class FeedbackListApi(APIView):
    """Phản ánh, kiến nghị: list those you may see (your own as a citizen), or file one."""

    @extend_schema(
        operation_id="feedback_list",
        parameters=[OpenApiParameter("status", str, enum=[*Status.values, "overdue"]), OpenApiParameter("unit", int),
                    OpenApiParameter("page", int)],
        responses={200: paginated(FeedbackSerializer), 401: ErrorSerializer, 403: ErrorSerializer},
    )
    def get(self, request):
        qs = selectors.inbox(request.user, status=request.query_params.get("status", ""), unit_id=request.query_params.get("unit", ""))
        return _page(request, qs, FeedbackSerializer, self)

    @extend_schema(operation_id="feedback_file", request=FeedbackFileSerializer, responses={201: FeedbackSerializer, **ERRORS})
    def post(self, request):
        from cchc.catalog.models import Procedure
        from cchc.dossiers.models import Dossier
        from cchc.units.models import Unit

        data = _valid(FeedbackFileSerializer, request)
        dossier = None
        if data.get("dossier"):
            dossier = Dossier.objects.filter(code=data["dossier"]).first()
            if dossier is None:
                raise DomainError("dossier: không tìm thấy hồ sơ.", code="not_found", field="dossier")
        procedure = None
        if data.get("procedure"):
            procedure = Procedure.objects.filter(code=data["procedure"]).first()
            if procedure is None:
                raise DomainError("procedure: không tìm thấy thủ tục.", code="not_found", field="procedure")
        province = None
        if data.get("province"):
            province = Unit.objects.filter(code=data["province"], province__isnull=True).first()
            if province is None:
                raise DomainError("province: không tìm thấy tỉnh.", code="not_found", field="province")
        elif dossier is not None:
            province = dossier.province
        elif getattr(request.user, "unit", None) is not None:
            province = request.user.unit.province_unit
        if province is None:
            raise DomainError("province: bắt buộc (mã tỉnh nhận phản ánh).", code="required", field="province")
        fb = services.feedback_file(
            actor=request.user, province=province, kind=data["kind"], title=data["title"], content=data["content"],
            channel=data.get("channel") or Channel.PORTAL, procedure=procedure, dossier=dossier,
            **{k: data.get(k, "") for k in ("sender_name", "sender_phone", "sender_email", "sender_address", "sender_id_number")},
            sender_is_organisation=data.get("sender_is_organisation", False),
        )
        return Response(FeedbackSerializer(fb, context={"request": request}).data, status=201)


class FeedbackDetailApi(APIView):
    @extend_schema(operation_id="feedback_detail", responses={200: FeedbackSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        return Response(FeedbackSerializer(_feedback(request, pk), context={"request": request}).data)


def _action(name, serializer_cls, call, doc):
    class _Api(APIView):
        @extend_schema(operation_id=f"feedback_{name}", request=serializer_cls, responses={200: FeedbackSerializer, **ERRORS}, description=doc)
        def post(self, request, pk: int):
            fb = _feedback(request, pk)
            data = _valid(serializer_cls, request)
            fb = call(request, fb, data)
            return Response(FeedbackSerializer(fb, context={"request": request}).data)

    _Api.__name__ = _Api.__qualname__ = f"Feedback{name.title()}Api"
    return _Api


FeedbackClassifyApi = _action("classify", ClassifySerializer, lambda r, fb, d: services.feedback_classify(
    actor=r.user, feedback_id=fb.pk, subject=d["subject"], field=d.get("field", ""), kind=d.get("kind")),
    "Phân loại (cơ quan thường trực CCHC).")
FeedbackRouteApi = _action("route", RouteSerializer, lambda r, fb, d: services.feedback_route(
    actor=r.user, feedback_id=fb.pk, unit=_unit_by_code(d["unit"], "unit"), note=d.get("note", "")),
    "Chuyển đơn vị xử lý (cơ quan thường trực CCHC).")
FeedbackAnswerApi = _action("answer", AnswerSerializer, lambda r, fb, d: services.feedback_answer(
    actor=r.user, feedback_id=fb.pk, answer=d["answer"]), "Trả lời (đơn vị xử lý).")
FeedbackRejectApi = _action("reject", RejectSerializer, lambda r, fb, d: services.feedback_reject(
    actor=r.user, feedback_id=fb.pk, reason=d["reason"]), "Không thuộc phạm vi xử lý, nêu lý do (cơ quan thường trực CCHC).")
FeedbackPublishApi = _action("publish", PublishSerializer, lambda r, fb, d: services.feedback_publish(
    actor=r.user, feedback_id=fb.pk, public_summary=d["public_summary"]),
    "Công khai kết quả với tóm tắt không chứa thông tin cá nhân (cơ quan thường trực CCHC, người đứng đầu đơn vị xử lý).")


class PublicFeedbackListApi(APIView):
    """Kết quả trả lời phản ánh, kiến nghị đã công khai (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(operation_id="feedback_public_list", parameters=[OpenApiParameter("province", str), OpenApiParameter("page", int)],
                   responses={200: paginated(PublicFeedbackSerializer), 404: ErrorSerializer, 429: ErrorSerializer})
    def get(self, request):
        from cchc.units.models import Unit

        province = None
        if request.query_params.get("province"):
            province = Unit.objects.filter(code=request.query_params["province"], province__isnull=True).first()
            if province is None:
                raise NotFoundError("Không tìm thấy tỉnh.", field="province")
        return _page(request, selectors.published(province), PublicFeedbackSerializer, self)


class DialogueListApi(APIView):
    """Hội nghị đối thoại: list (your scope) or record one with its issues and follow-up tasks."""

    @extend_schema(operation_id="dialogues_list", parameters=[OpenApiParameter("page", int)],
                   responses={200: paginated(DialogueSerializer), 401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request):
        qs = selectors.dialogues_for(request.user).prefetch_related("issues__feedback", "follow_ups__unit")
        return _page(request, qs, DialogueSerializer, self)

    @extend_schema(operation_id="dialogues_create", request=DialogueSerializer, responses={201: DialogueSerializer, **ERRORS})
    def post(self, request):
        s = DialogueSerializer(data=request.data)
        if not s.is_valid():
            field, errors = next(iter(s.errors.items()))
            raise DomainError(f"{field}: {errors}", field=field)
        d = s.validated_data
        unit = _unit_by_code(d["unit"]["code"], "unit")
        follow_ups = [{**fu, "unit": _unit_by_code(fu["unit"], f"follow_ups[{i}].unit")} for i, fu in enumerate(d.get("follow_ups", []))]
        dialogue = services.dialogue_record(
            actor=request.user, unit=unit, held_on=d["held_on"], title=d["title"], chaired_by=d["chaired_by"],
            participants_count=d.get("participants_count", 0), location=d.get("location", ""), summary=d.get("summary", ""),
            issues=[dict(i) for i in d.get("issues", [])], follow_ups=follow_ups,
        )
        return Response(DialogueSerializer(dialogue).data, status=201)


class DialogueDetailApi(APIView):
    @extend_schema(operation_id="dialogues_detail", responses={200: DialogueSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        d = selectors.dialogues_for(request.user).filter(pk=pk).first()
        if d is None:
            raise NotFoundError("Không tìm thấy hội nghị đối thoại.")
        return Response(DialogueSerializer(d).data)
