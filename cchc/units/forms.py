"""Form of the targets page (chỉ tiêu CCHC): parses and checks formats; the rules live in units.targets."""

from __future__ import annotations

from django import forms

from .models import TargetMetric, Unit

MESSAGES = {
    "required": "Bắt buộc nhập.",
    "invalid": "Giá trị không hợp lệ.",
    "invalid_choice": "Lựa chọn không hợp lệ.",
    "max_length": "Quá dài (tối đa %(limit_value)d ký tự).",
    "min_value": "Phải từ %(limit_value)s trở lên.",
    "max_value": "Phải nhỏ hơn hoặc bằng %(limit_value)s.",
    "max_digits": "Quá nhiều chữ số.",
    "max_decimal_places": "Tối đa %(max)s chữ số thập phân.",
    "max_whole_digits": "Quá nhiều chữ số phần nguyên.",
}


class TargetForm(forms.Form):
    metric = forms.ChoiceField(choices=TargetMetric.choices, label="Chỉ tiêu")
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label="Năm",
                              help_text="Để trống: áp dụng mọi năm")
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label="Đơn vị",
                                  empty_label="Cả tỉnh", help_text="Để trống: áp dụng cho cả tỉnh")
    value = forms.DecimalField(max_digits=7, decimal_places=2, label="Giá trị mục tiêu",
                               help_text="Tỷ lệ: % (0–100); thứ hạng: số nguyên từ 1")
    source_document = forms.CharField(max_length=255, label="Văn bản giao chỉ tiêu",
                                      help_text="Ví dụ: Nghị quyết số …/NQ-HĐND ngày …; Kế hoạch CCHC năm … của UBND tỉnh")
    source_url = forms.URLField(required=False, max_length=500, label="Đường dẫn văn bản", assume_scheme="https")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Ghi chú")

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        if province is not None:
            self.fields["unit"].queryset = Unit.objects.filter(province=province, is_active=True).order_by("name")
        for field in self.fields.values():
            field.error_messages.update(MESSAGES)
        self.fields["value"].error_messages["invalid"] = "Phải là một số."
        self.fields["year"].error_messages["invalid"] = "Phải là một số nguyên."
        self.fields["source_url"].error_messages["invalid"] = "Đường dẫn không hợp lệ."
