"""DRF serializers for the dossier API: input shapes (rules live in services) and output views."""

from __future__ import annotations

from rest_framework import serializers

from . import workflow as wf
from .models import PAYMENT_RECORDABLE, ApplicantKind, Channel, Dossier, DossierDocument, ResultChannel


class ApplicantSerializer(serializers.Serializer):
    """Người nộp hồ sơ."""

    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, required=False, default=ApplicantKind.PERSON)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)


class PaymentSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PAYMENT_RECORDABLE)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True)


class DossierCreateSerializer(serializers.Serializer):
    """Body of POST /api/v1/dossiers/ (send an Idempotency-Key header to make retries safe)."""

    procedure_code = serializers.CharField(max_length=40)
    unit_code = serializers.CharField(max_length=40)
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = ApplicantSerializer()
    received_at = serializers.CharField(required=False, allow_blank=True, help_text="ISO 8601; giờ địa phương nếu không có múi giờ")
    result_channel = serializers.ChoiceField(choices=ResultChannel.choices, required=False)
    documents = serializers.ListField(child=serializers.CharField(max_length=500), required=False, max_length=100)
    payment = PaymentSerializer(required=False)


class TransitionSerializer(serializers.Serializer):
    """Body of POST /api/v1/dossiers/{code}/transitions/."""

    action = serializers.ChoiceField(choices=[(a, wf.ACTION_LABELS[a]) for a in wf.ACTIONS])
    version = serializers.IntegerField(help_text="Phiên bản hồ sơ đã đọc (khoá lạc quan)")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    handling_unit_code = serializers.CharField(required=False, allow_blank=True)
    assignee = serializers.CharField(required=False, allow_blank=True, help_text="Tên đăng nhập cán bộ xử lý")
    step_allowance = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, help_text="Ngày làm việc cho bước này")
    step_allowance_hours = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, help_text="Giờ làm việc cho bước này")
    task = serializers.CharField(required=False, allow_blank=True, max_length=255)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    new_due_at = serializers.CharField(required=False, allow_blank=True, help_text="Ngày hẹn mới (phiếu xin lỗi), ISO 8601")
    electronic_result = serializers.BooleanField(required=False, default=False)


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=500)
    kind = serializers.ChoiceField(choices=DossierDocument.KIND_CHOICES, required=False, default=DossierDocument.KIND_INPUT)


class RatingSerializer(serializers.Serializer):
    """Đánh giá (1–5) tổng thể và theo 5 yếu tố SIPAS (không bắt buộc)."""

    overall = serializers.IntegerField(min_value=1, max_value=5)
    access = serializers.IntegerField(min_value=1, max_value=5, required=False)
    procedure = serializers.IntegerField(min_value=1, max_value=5, required=False)
    officials = serializers.IntegerField(min_value=1, max_value=5, required=False)
    result = serializers.IntegerField(min_value=1, max_value=5, required=False)
    feedback = serializers.IntegerField(min_value=1, max_value=5, required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DossierDocument
        fields = ["id", "kind", "name", "is_electronic", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class DossierListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(read_only=True)
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    handling_unit_code = serializers.SerializerMethodField()
    applicant_name = serializers.CharField(read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code", "status", "status_label", "version", "procedure_code", "unit_code", "handling_unit_code",
            "channel", "applicant_name", "received_at", "due_at", "promised_at", "settled_at", "returned_at",
        ]

    def get_handling_unit_code(self, obj) -> str | None:
        return obj.handling_unit.code if obj.handling_unit_id else None


class StepSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    from_unit = serializers.CharField(source="from_unit.code", allow_null=True, default=None)
    from_user = serializers.CharField(source="from_user.username", allow_null=True, default=None)
    to_unit = serializers.CharField(source="to_unit.code")
    to_user = serializers.CharField(source="to_user.username", allow_null=True, default=None)
    task = serializers.CharField()
    sent_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)


class PauseSerializer(serializers.Serializer):
    kind = serializers.CharField()
    reason = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    working_seconds = serializers.IntegerField(allow_null=True)


class ApologySerializer(serializers.Serializer):
    issued_at = serializers.DateTimeField()
    reason = serializers.CharField()
    due_at = serializers.DateTimeField()
    new_due_at = serializers.DateTimeField()


class DossierSerializer(DossierListSerializer):
    """Staff view of one dossier (with the lookup token printed on the receipt)."""

    applicant = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()
    province_procedure_id = serializers.IntegerField(read_only=True)
    steps = StepSerializer(many=True, read_only=True)
    pauses = PauseSerializer(many=True, read_only=True)
    apologies = ApologySerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta(DossierListSerializer.Meta):
        fields = DossierListSerializer.Meta.fields + [
            "lookup_token", "result_channel", "applicant", "assignee", "submitted_at", "counted_from", "due_date",
            "original_due_at", "time_value", "time_unit", "calendar_stamp", "province_procedure_id",
            "supplement_count", "apology_count", "status_reason", "fee_amount", "payment_status", "payment_reference",
            "has_electronic_documents", "has_electronic_result", "closed_at", "allowed_actions",
            "steps", "pauses", "apologies", "documents",
        ]

    def get_applicant(self, obj) -> dict:
        return {
            "name": obj.applicant_name, "kind": obj.applicant_kind, "id_number": obj.applicant_id_number,
            "phone": obj.applicant_phone, "email": obj.applicant_email, "address": obj.applicant_address,
        }

    def get_assignee(self, obj) -> str | None:
        return obj.assignee.username if obj.assignee_id else None

    def get_allowed_actions(self, obj) -> list[str]:
        return wf.allowed_actions(obj.status)


class DossierCreatedSerializer(DossierSerializer):
    missing_documents = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)

    class Meta(DossierSerializer.Meta):
        fields = DossierSerializer.Meta.fields + ["missing_documents"]


class PublicDossierSerializer(serializers.Serializer):
    """Public lookup: nothing personal."""

    code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.CharField(allow_null=True)
    promised_at = serializers.DateTimeField(allow_null=True)
    current_step = serializers.CharField()
    result_channel = serializers.CharField()
    result_channel_label = serializers.CharField()
    returned_at = serializers.DateTimeField(allow_null=True)
    can_rate = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField(required=False, allow_null=True)


class ChecklistItemSerializer(serializers.Serializer):
    """Một thành phần hồ sơ (một dòng của một phiên bản)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=["submit", "present"], default="submit",
                                   help_text="submit = giấy tờ phải nộp; present = phải xuất trình")
    original_copies = serializers.IntegerField(min_value=0, max_value=20, default=1)
    photocopies = serializers.IntegerField(min_value=0, max_value=20, default=0)
    mandatory = serializers.BooleanField(default=True)
    form_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChecklistSerializer(serializers.Serializer):
    procedure_code = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True, allow_null=True)
    effective_from = serializers.DateField(required=False, allow_null=True,
                                           help_text="PUT: áp dụng từ ngày (mặc định hôm nay)")
    decision_no = serializers.CharField(max_length=120, required=False, allow_blank=True, write_only=True)
    items = ChecklistItemSerializer(many=True)
