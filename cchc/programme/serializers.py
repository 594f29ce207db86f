"""Shapes of the plan API (/api/v1/plans/)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from .models import PAR_FIELDS, TaskKind, TaskStatus


class ProgressReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reported_on = serializers.DateField()
    author = serializers.CharField(source="author.username", allow_null=True, default=None)
    content = serializers.CharField()
    percent = serializers.IntegerField(allow_null=True)
    file_name = serializers.CharField(source="original_name")
    has_file = serializers.SerializerMethodField()

    def get_has_file(self, obj) -> bool:
        return bool(obj.file_path)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField(source="plan_id")
    order = serializers.IntegerField()
    field = serializers.IntegerField(allow_null=True)
    content = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    responsible = serializers.CharField(source="responsible.username", allow_null=True, default=None)
    cooperating = serializers.SerializerMethodField()
    deadline = serializers.DateField()
    expected_output = serializers.CharField()
    target_value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    target_unit = serializers.CharField()
    achieved_value = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    status = serializers.CharField()
    completed_on = serializers.DateField(allow_null=True)
    timeliness = serializers.SerializerMethodField(help_text="on_time | late | overdue | open | cancelled (tính đến hôm nay)")
    version = serializers.IntegerField()

    def get_cooperating(self, obj) -> list[str]:
        return [u.code for u in obj.cooperating.all()]

    def get_timeliness(self, obj) -> str:
        return obj.timeliness(timezone.localdate())


class TaskDetailSerializer(TaskSerializer):
    reports = ProgressReportSerializer(many=True)


class ReformPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    title = serializers.CharField()
    number = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)
    issuing_unit = serializers.CharField(source="issuing_unit.code", allow_null=True, default=None)
    issue_deadline = serializers.DateField()
    issued_on_time = serializers.BooleanField(allow_null=True)
    status = serializers.CharField()
    version = serializers.IntegerField()


class ReformPlanDetailSerializer(ReformPlanSerializer):
    tasks = TaskSerializer(many=True)


class PlanWriteSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text="Mã đơn vị có kế hoạch (khi tạo)")
    year = serializers.IntegerField(required=False, help_text="Năm kế hoạch (khi tạo)")
    title = serializers.CharField(required=False, max_length=500)
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    issued_on = serializers.DateField(required=False, allow_null=True)
    issuing_unit = serializers.CharField(required=False, allow_blank=True)
    issue_deadline = serializers.DateField(required=False)
    version = serializers.IntegerField(required=False)


class PlanIssueSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    issued_on = serializers.DateField()
    version = serializers.IntegerField(required=False)


class TaskWriteSerializer(serializers.Serializer):
    content = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False)
    unit = serializers.CharField(required=False, help_text="Mã đơn vị chủ trì")
    responsible = serializers.CharField(required=False, allow_blank=True, help_text="Tài khoản người đứng đầu chịu trách nhiệm")
    cooperating = serializers.ListField(child=serializers.CharField(), required=False, help_text="Mã các đơn vị phối hợp")
    deadline = serializers.DateField(required=False)
    expected_output = serializers.CharField(required=False, allow_blank=True)
    target_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    target_unit = serializers.CharField(required=False, allow_blank=True)
    achieved_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    field = serializers.ChoiceField(choices=PAR_FIELDS, required=False, allow_null=True)
    order = serializers.IntegerField(required=False, min_value=0)
    version = serializers.IntegerField(required=False)


class TaskStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    completed_on = serializers.DateField(required=False, allow_null=True)
    achieved_value = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(required=False)


class ProgressWriteSerializer(serializers.Serializer):
    content = serializers.CharField()
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    reported_on = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField(required=False, help_text="Minh chứng: PDF, JPG, PNG, DOCX, XLSX, TIFF; tối đa 10 MB")
