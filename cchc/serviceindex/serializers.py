"""Serializers of the 766 API: request parameters, and the response shapes for the OpenAPI schema."""

from __future__ import annotations

from rest_framework import serializers


class ServiceIndexIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="Tỷ lệ %, 2 chữ số thập phân")
    target = serializers.FloatField(allow_null=True)
    max = serializers.FloatField()
    points = serializers.FloatField(allow_null=True)
    source = serializers.ChoiceField(choices=["platform", "entered"])
    status = serializers.ChoiceField(choices=["ok", "not_applicable", "no_data"])
    rule = serializers.CharField()
    note = serializers.CharField()


class ServiceIndexGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max = serializers.FloatField(help_text="Điểm tối đa tính (không gồm chỉ tiêu không phát sinh)")
    nominal_max = serializers.FloatField()
    points = serializers.FloatField()
    indicators = ServiceIndexIndicatorSerializer(many=True)


class ServiceIndexTotalSerializer(serializers.Serializer):
    points = serializers.FloatField()
    max = serializers.FloatField()
    missing_indicators = serializers.IntegerField()


class ServiceIndexSetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    confirmed = serializers.BooleanField()


class ServiceIndexResultSerializer(serializers.Serializer):
    province = serializers.CharField()
    province_name = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    unit_name = serializers.CharField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    period = serializers.CharField()
    period_label = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    partial = serializers.BooleanField()
    indicator_set = ServiceIndexSetRefSerializer()
    total = ServiceIndexTotalSerializer()
    groups = ServiceIndexGroupSerializer(many=True)


class ServiceIndexDrillUnitSerializer(serializers.Serializer):
    unit = serializers.CharField()
    name = serializers.CharField()
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    rate = serializers.FloatField(allow_null=True)
    points = serializers.FloatField(allow_null=True)
    max = serializers.FloatField()
    lost = serializers.FloatField(allow_null=True)
    status = serializers.CharField()


class ServiceIndexDrillDossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    unit = serializers.CharField()
    status = serializers.CharField()
    channel = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    settled_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()


class ServiceIndexDrillProcedureSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField()


class ServiceIndexDrillIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()
    source = serializers.CharField()
    rule = serializers.CharField()
    max = serializers.FloatField()
    target = serializers.FloatField(allow_null=True)


class ServiceIndexDrillSerializer(serializers.Serializer):
    indicator = ServiceIndexDrillIndicatorSerializer()
    period = serializers.CharField()
    province = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    units = ServiceIndexDrillUnitSerializer(many=True)
    dossiers = ServiceIndexDrillDossierSerializer(many=True)
    procedures = ServiceIndexDrillProcedureSerializer(many=True)


class ServiceIndexWarningUnitIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    points_at_risk = serializers.FloatField()


class ServiceIndexWarningUnitSerializer(serializers.Serializer):
    unit = serializers.CharField()
    name = serializers.CharField()
    dossiers = serializers.IntegerField()
    dossiers_this_month = serializers.IntegerField()
    points_at_risk = serializers.FloatField()
    indicators = ServiceIndexWarningUnitIndicatorSerializer(many=True)


class ServiceIndexWarningDossierSerializer(serializers.Serializer):
    code = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    procedure_code = serializers.CharField()
    procedure_name = serializers.CharField()
    status = serializers.CharField()
    due_at = serializers.DateTimeField()
    time_left = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    counts_this_month = serializers.BooleanField()


class ServiceIndexWarningSerializer(serializers.Serializer):
    province = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    days = serializers.IntegerField()
    at = serializers.DateTimeField()
    horizon = serializers.DateTimeField()
    month = serializers.CharField()
    month_label = serializers.CharField()
    units = ServiceIndexWarningUnitSerializer(many=True)
    dossiers = ServiceIndexWarningDossierSerializer(many=True)


class ServiceIndexFigureInSerializer(serializers.Serializer):
    province = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True)
    period = serializers.CharField()
    indicator = serializers.CharField()
    numerator = serializers.DecimalField(max_digits=14, decimal_places=2)
    denominator = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ServiceIndexFigureOutSerializer(serializers.Serializer):
    province = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    period = serializers.CharField()
    indicator = serializers.CharField()
    numerator = serializers.FloatField()
    denominator = serializers.FloatField()
    source = serializers.CharField()


class ServiceIndexSetIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    numerator_key = serializers.CharField()
    denominator_key = serializers.CharField()
    source = serializers.CharField()
    target = serializers.FloatField(allow_null=True)
    max = serializers.FloatField()
    rule = serializers.CharField()
    steps = serializers.DictField(child=serializers.FloatField())
    max_confirmed = serializers.BooleanField()
    citation = serializers.CharField()


class ServiceIndexSetGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max = serializers.FloatField()
    indicators = ServiceIndexSetIndicatorSerializer(many=True)


class ServiceIndexSetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    family = serializers.CharField()
    version = serializers.IntegerField()
    name = serializers.CharField()
    decision_no = serializers.CharField()
    effective_from = serializers.DateField()
    confirmed = serializers.BooleanField()
    source = serializers.CharField()
    notes = serializers.CharField()
    copied_from = serializers.IntegerField(allow_null=True)
    groups = ServiceIndexSetGroupSerializer(many=True)


class ServiceIndexIndicatorChangeSerializer(serializers.Serializer):
    max = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    target = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    rule = serializers.ChoiceField(choices=["linear", "capped_linear", "step", "info"], required=False)
    steps = serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2), required=False)


class ServiceIndexReviseSerializer(serializers.Serializer):
    changes = serializers.DictField(child=ServiceIndexIndicatorChangeSerializer(), help_text='{"2.1": {"max": 15}, "2.2": {"max": 5, "rule": "linear"}}')
    notes = serializers.CharField(required=False, allow_blank=True)
    effective_from = serializers.DateField(required=False)
