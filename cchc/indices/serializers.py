"""DRF serializers of the index API (input parsing and output shapes for the OpenAPI schema)."""

from __future__ import annotations

from rest_framework import serializers

from . import workflow
from .models import AssessmentCycle, CriteriaSet, TargetGroup


class IndexCriteriaSetSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code", allow_null=True, default=None, read_only=True)
    owner_name = serializers.CharField(source="owner.name", allow_null=True, default=None, read_only=True)

    class Meta:
        model = CriteriaSet
        fields = ["id", "code", "name", "year", "target_group", "version", "decision_no", "source_url", "owner", "owner_name",
                  "is_template", "confirmed", "max_total", "notes"]


class IndexCriterionNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    max_points = serializers.DecimalField(max_digits=7, decimal_places=2)
    level = serializers.IntegerField()
    is_leaf = serializers.BooleanField()
    method = serializers.CharField()
    rule = serializers.JSONField()
    responsible = serializers.CharField()
    evidence_required = serializers.CharField()
    effort = serializers.CharField()
    confirmed = serializers.BooleanField()
    children = serializers.ListField(child=serializers.JSONField())


class IndexCriteriaSetDetailSerializer(IndexCriteriaSetSerializer):
    tree = IndexCriterionNodeSerializer(many=True, read_only=True)

    class Meta(IndexCriteriaSetSerializer.Meta):
        fields = [*IndexCriteriaSetSerializer.Meta.fields, "tree"]


class IndexCriteriaSetImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV hoặc XLSX: code,parent,title,max_points[,method,rule,responsible,evidence_required,effort,confirmed]")
    code = serializers.SlugField(max_length=80)
    name = serializers.CharField(max_length=255)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)


class IndexCriteriaSetCopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    code = serializers.SlugField(max_length=80, required=False)
    name = serializers.CharField(max_length=255, required=False)
    owner = serializers.CharField(required=False, help_text="Mã đơn vị sở hữu bản sao (mặc định: tỉnh của người dùng)")


class IndexCycleSerializer(serializers.ModelSerializer):
    criteria_set = serializers.CharField(source="criteria_set.code", read_only=True)
    organiser = serializers.CharField(source="organiser.code", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    previous = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = AssessmentCycle
        fields = ["id", "name", "year", "state", "state_label", "version", "criteria_set", "organiser", "organiser_name", "previous", "published_at",
                  "self_assessment_due", "explanation_due", "publication_due"]


class IndexCycleOpenSerializer(serializers.Serializer):
    criteria_set = serializers.CharField(help_text="Mã bộ tiêu chí")
    organiser = serializers.CharField(help_text="Mã đơn vị tổ chức (tỉnh)")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    units = serializers.ListField(child=serializers.CharField(), allow_empty=False, help_text="Mã các đơn vị được đánh giá")
    name = serializers.CharField(required=False)
    previous = serializers.IntegerField(required=False, help_text="Kỳ đánh giá năm trước")
    self_assessment_due = serializers.DateField(required=False, help_text="Hạn nộp tự đánh giá")
    explanation_due = serializers.DateField(required=False, help_text="Hạn giải trình")
    publication_due = serializers.DateField(required=False, help_text="Hạn công bố kết quả")


class IndexTransitionSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=[(x, x) for x in workflow.STATES], help_text="Bước tiếp theo của kỳ đánh giá")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text="Phiên bản kỳ đánh giá đang xem (khóa lạc quan)")
    confirm = serializers.BooleanField(required=False, default=False,
                                       help_text="Xác nhận chuyển bước khi còn đơn vị chưa hoàn thành bước hiện tại (nếu thiếu: 409 confirmation_required kèm số đếm)")


class IndexEvidenceInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=120, required=False, allow_blank=True)
    document_date = serializers.DateField(required=False, allow_null=True)
    url = serializers.URLField(required=False, allow_blank=True)


class IndexSelfAssessSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị")
    criterion = serializers.CharField(help_text="Mã tiêu chí thành phần")
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = IndexEvidenceInputSerializer(many=True, required=False, default=list)


class IndexEvidenceUploadSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị")
    criterion = serializers.CharField(help_text="Mã tiêu chí thành phần")
    title = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    document_number = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    url = serializers.URLField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class IndexAppraiseSerializer(serializers.Serializer):
    unit = serializers.CharField()
    criterion = serializers.CharField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class IndexExplainSerializer(serializers.Serializer):
    unit = serializers.CharField()
    criterion = serializers.CharField()
    explanation = serializers.CharField()


class IndexEvidenceSerializer(serializers.Serializer):
    title = serializers.CharField()
    document_number = serializers.CharField()
    document_date = serializers.DateField(allow_null=True)
    url = serializers.CharField()
    has_file = serializers.SerializerMethodField()

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


class IndexAssessmentSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    criterion = serializers.CharField(source="criterion.code")
    max_points = serializers.DecimalField(source="criterion.max_points", max_digits=7, decimal_places=2)
    source = serializers.CharField()
    data_value = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    self_points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    self_explanation = serializers.CharField()
    appraisal1_points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    appraisal1_reason = serializers.CharField()
    explanation = serializers.CharField()
    appraisal2_points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    appraisal2_reason = serializers.CharField()
    final_points = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    evidence = IndexEvidenceSerializer(many=True)


class IndexRowsSerializer(serializers.Serializer):
    rows = serializers.ListField(child=serializers.DictField(), allow_empty=False,
                                 help_text="Số liệu: {unit, metric, value}; điểm XHH: {unit, code, points}")


class IndexFieldResultSerializer(serializers.Serializer):
    title = serializers.CharField()
    points = serializers.FloatField()
    max = serializers.FloatField()
    index_pct = serializers.FloatField()
    rank = serializers.IntegerField()


class IndexLostItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    field = serializers.CharField()
    lost = serializers.FloatField()
    max = serializers.FloatField()
    points = serializers.FloatField()
    responsible = serializers.CharField()
    explanation = serializers.CharField()


class IndexResultSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit = serializers.CharField()
    group = serializers.CharField()
    region = serializers.CharField()
    total = serializers.FloatField()
    max = serializers.FloatField()
    index_pct = serializers.FloatField()
    rank = serializers.IntegerField()
    group_size = serializers.IntegerField()
    stage_totals = serializers.DictField(child=serializers.FloatField())
    fields = serializers.DictField(child=IndexFieldResultSerializer())
    lost = IndexLostItemSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField())
    previous = serializers.JSONField(allow_null=True)
    change = serializers.JSONField(allow_null=True)


class IndexLostPointRowSerializer(IndexLostItemSerializer):
    unit_id = serializers.IntegerField()
    unit = serializers.CharField()
    group = serializers.CharField()


class IndexPeerSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, allow_blank=True, default="")
    index_pct = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=100)


class IndexPathToTargetInputSerializer(serializers.Serializer):
    unit = serializers.CharField()
    target_rank = serializers.IntegerField(min_value=1)
    peers = IndexPeerSerializer(many=True, required=False, help_text="Bảng kết quả so sánh; mặc định: các đơn vị cùng nhóm trong kỳ")


class IndexPickSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    lost = serializers.FloatField()
    effort = serializers.FloatField()


class IndexPathToTargetSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_id = serializers.IntegerField()
    scale = serializers.CharField()
    target_rank = serializers.IntegerField()
    current_score = serializers.FloatField()
    current_rank = serializers.IntegerField()
    needed_score = serializers.FloatField()
    gap = serializers.FloatField()
    reachable = serializers.BooleanField()
    recovered = serializers.FloatField()
    picks = IndexPickSerializer(many=True)


# ---------------------------------------------------------------- national lost points (giải trình theo cơ quan chủ trì)


class IndexNationalLostPointSerializer(serializers.Serializer):
    """Một tiêu chí thành phần tỉnh bị trừ điểm trong Chỉ số CCHC cấp tỉnh, with who explains it."""

    assignment_id = serializers.IntegerField(allow_null=True)
    unit = serializers.CharField(help_text="Tỉnh được đánh giá")
    field_code = serializers.CharField()
    field_title = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    max = serializers.DecimalField(max_digits=7, decimal_places=2)
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    lost = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="Điểm tối đa − điểm cuối cùng (tính, không nhập)")
    department = serializers.CharField(help_text="Cơ quan chủ trì (tên ngắn); rỗng khi chưa giao")
    department_name = serializers.CharField()
    cooperating = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField(help_text="unassigned | assigned | explained | accepted | more_requested")
    status_label = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    cause = serializers.CharField()
    remedy = serializers.CharField()
    review_note = serializers.CharField()
    version = serializers.IntegerField(allow_null=True)


class IndexNationalWorkItemSerializer(IndexNationalLostPointSerializer):
    cycle_id = serializers.IntegerField()
    cycle = serializers.CharField()
    role = serializers.CharField(help_text="chủ trì hoặc phối hợp")


class IndexLostAssignSerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="Mã tiêu chí thành phần")
    department = serializers.CharField(help_text="Mã đơn vị của cơ quan chủ trì")
    cooperating = serializers.ListField(child=serializers.CharField(), required=False, default=list, help_text="Mã đơn vị phối hợp")
    deadline = serializers.CharField(help_text="YYYY-MM-DD")
    unit = serializers.CharField(required=False, allow_blank=True, default="", help_text="Mã tỉnh (khi kỳ có nhiều tỉnh)")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class IndexLostAssignDefaultSerializer(serializers.Serializer):
    deadline = serializers.CharField(help_text="YYYY-MM-DD")
    unit = serializers.CharField(required=False, allow_blank=True, default="")


class IndexLostAssignDefaultResultSerializer(serializers.Serializer):
    assigned = serializers.IntegerField()
    already = serializers.IntegerField()
    unresolved = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateField()


class IndexLostExplainSerializer(serializers.Serializer):
    cause = serializers.CharField(allow_blank=True, help_text="Nguyên nhân")
    remedy = serializers.CharField(allow_blank=True, help_text="Giải pháp khắc phục")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class IndexLostReviewSerializer(serializers.Serializer):
    decision = serializers.CharField(help_text="accept | request_more")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.CharField(required=False, allow_blank=True, default="", help_text="Hạn mới YYYY-MM-DD (yêu cầu bổ sung)")
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class IndexLostDefaultRowSerializer(serializers.Serializer):
    criterion_prefix = serializers.CharField()
    department = serializers.CharField(required=False, allow_blank=True, default="", help_text="Mã đơn vị (để trống: theo loại)")
    department_kind = serializers.CharField(required=False, allow_blank=True, default="")
    cooperating_kinds = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    province = serializers.CharField(read_only=True, help_text="Mã tỉnh; rỗng = mặc định của nền tảng")


class IndexLostDefaultsSerializer(serializers.Serializer):
    rows = IndexLostDefaultRowSerializer(many=True)
