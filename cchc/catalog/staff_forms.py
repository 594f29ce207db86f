"""Forms of the staff catalogue pages: they parse and check formats; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from cchc.calendar.workdays import UNITS as COMPUTABLE_TIME_UNITS

from .models import DocumentKind, EventKind, OnlineLevel, TimeUnit

LEVEL_CHOICES = [("province", "Cấp tỉnh"), ("commune", "Cấp xã")]
PUBLISHABLE_TIME_UNITS = [(v, label) for v, label in TimeUnit.choices if v in COMPUTABLE_TIME_UNITS]
DESK_KINDS = ("service_centre", "one_stop_desk")
MAX_TIME = Decimal("999999")
MAX_FEE = Decimal("99999999999999")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

# Vietnamese whatever the browser's language (LocaleMiddleware would follow Accept-Language).
VI_MESSAGES = {
    "required": "Trường này là bắt buộc.",
    "invalid": "Giá trị không hợp lệ.",
    "invalid_choice": "Lựa chọn không hợp lệ.",
    "min_value": "Giá trị phải lớn hơn hoặc bằng %(limit_value)s.",
    "max_value": "Giá trị phải nhỏ hơn hoặc bằng %(limit_value)s.",
    "max_length": "Tối đa %(limit_value)d ký tự (đang có %(show_value)d).",
    "max_digits": "Tối đa %(max)s chữ số.",
    "max_decimal_places": "Tối đa %(max)s chữ số thập phân.",
    "max_whole_digits": "Tối đa %(max)s chữ số phần nguyên.",
}
FIELD_INVALID = {
    forms.DateField: "Ngày không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy).",
    forms.DecimalField: "Phải là một số.",
    forms.IntegerField: "Phải là một số nguyên.",
}


class VietnameseErrors:
    """Give every field Vietnamese error messages (mixed into each form below)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            messages = dict(VI_MESSAGES)
            for kind, text in FIELD_INVALID.items():
                if isinstance(field, kind):
                    messages["invalid"] = text
            field.error_messages.update(messages)  # validators' errors are looked up here by code too


class FilterForm(VietnameseErrors, forms.Form):
    """Bộ lọc danh sách TTHC của tỉnh (GET); an invalid value is ignored rather than refused."""

    q = forms.CharField(required=False, max_length=200, label="Tìm theo tên hoặc mã")
    level = forms.ChoiceField(required=False, choices=[("", "Mọi cấp")] + LEVEL_CHOICES, label="Cấp thực hiện")
    field = forms.ChoiceField(required=False, label="Lĩnh vực")
    online = forms.ChoiceField(required=False, choices=[("", "Mọi mức")] + list(OnlineLevel.choices),
                               label="Mức độ trực tuyến")
    desk = forms.ChoiceField(required=False, label="Nơi tiếp nhận")
    ngay = forms.DateField(required=False, input_formats=DATE_FORMATS, widget=DateInput(), label="Áp dụng ngày")

    def __init__(self, *args, fields: list[str] = (), desks: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "Mọi lĩnh vực")] + [(f, f) for f in fields]
        self.fields["desk"].choices = [("", "Mọi nơi tiếp nhận")] + list(desks)

    def value(self, name: str):
        """The cleaned value of one filter, or its empty value when that filter was invalid."""
        if not self.is_bound:
            return None if name == "ngay" else ""
        if name in self.errors:
            return None if name == "ngay" else ""
        return self.cleaned_data.get(name) if name == "ngay" else (self.cleaned_data.get(name) or "")


class PublishForm(VietnameseErrors, forms.Form):
    """Công bố / sửa đổi TTHC áp dụng tại tỉnh: one new version from a decision's effective date."""

    procedure_code = forms.CharField(max_length=40, label="Mã thủ tục", help_text="Ví dụ: 1.001193")
    level = forms.ChoiceField(choices=LEVEL_CHOICES, label="Cấp thực hiện")
    desk = forms.ModelChoiceField(queryset=None, required=False, label="Nơi tiếp nhận",
                                  empty_label="Bộ phận một cửa cấp xã (mọi xã, phường) / chưa xác định")
    handling_unit = forms.ModelChoiceField(queryset=None, required=False, label="Cơ quan giải quyết",
                                           empty_label="—")
    time_value = forms.DecimalField(min_value=0, max_value=MAX_TIME, max_digits=8, decimal_places=2,
                                    label="Thời hạn giải quyết tại tỉnh")
    time_unit = forms.ChoiceField(choices=PUBLISHABLE_TIME_UNITS, label="Đơn vị thời hạn")
    online_level = forms.ChoiceField(choices=OnlineLevel.choices, label="Mức độ dịch vụ công trực tuyến")
    fee_amount = forms.DecimalField(min_value=0, max_value=MAX_FEE, max_digits=14, decimal_places=0,
                                    required=False, initial=0, label="Phí, lệ phí (đồng)")
    decision_no = forms.CharField(max_length=120, label="Số quyết định công bố", help_text="Ví dụ: 1568/QĐ-UBND")
    effective_from = forms.DateField(input_formats=DATE_FORMATS, widget=DateInput(), label="Có hiệu lực từ ngày")

    def __init__(self, *args, province, units_queryset, fixed_procedure: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].queryset = units_queryset.filter(kind__in=DESK_KINDS).order_by("name")
        self.fields["handling_unit"].queryset = units_queryset.exclude(kind__in=DESK_KINDS).order_by("name")
        self.fields["desk"].to_field_name = "code"
        self.fields["handling_unit"].to_field_name = "code"
        if fixed_procedure:
            self.fields["procedure_code"].widget = forms.HiddenInput()
        self.province = province

    def clean_decision_no(self):
        value = self.cleaned_data["decision_no"].strip()
        if not value:
            raise forms.ValidationError("Số quyết định là bắt buộc.")
        return value

    def clean_procedure_code(self):
        return self.cleaned_data["procedure_code"].strip()


class EventForm(VietnameseErrors, forms.Form):
    """Ghi sự kiện của thủ tục (quyết định của tỉnh)."""

    kind = forms.ChoiceField(choices=EventKind.choices, label="Loại sự kiện")
    decision_no = forms.CharField(max_length=120, label="Số quyết định")
    decision_date = forms.DateField(input_formats=DATE_FORMATS, widget=DateInput(), label="Ngày quyết định")
    time_before = forms.DecimalField(required=False, min_value=0, max_value=MAX_TIME, max_digits=8, decimal_places=2,
                                     label="Thời hạn trước (cắt giảm thời gian)")
    time_after = forms.DecimalField(required=False, min_value=0, max_value=MAX_TIME, max_digits=8, decimal_places=2,
                                    label="Thời hạn sau")
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Ghi chú")
    close_publications = forms.BooleanField(
        required=False, initial=True,
        label="Bãi bỏ: đóng các phiên bản đang áp dụng từ ngày quyết định",
    )


class ReportForm(VietnameseErrors, forms.Form):
    """Kỳ báo cáo: ?tu=YYYY-MM-DD&den=YYYY-MM-DD (dd/mm/yyyy also accepted)."""

    tu = forms.DateField(required=False, input_formats=DATE_FORMATS, widget=DateInput(), label="Từ ngày")
    den = forms.DateField(required=False, input_formats=DATE_FORMATS, widget=DateInput(), label="Đến ngày")


class ChecklistItemForm(VietnameseErrors, forms.Form):
    """Một thành phần hồ sơ; a row whose name is empty is dropped."""

    name = forms.CharField(required=False, max_length=500, label="Tên giấy tờ",
                           widget=forms.TextInput(attrs={"aria-label": "Tên giấy tờ"}))
    kind = forms.ChoiceField(required=False, choices=DocumentKind.choices, initial=DocumentKind.SUBMIT, label="Loại",
                             widget=forms.Select(attrs={"aria-label": "Nộp hay xuất trình"}))
    original_copies = forms.IntegerField(required=False, min_value=0, max_value=20, initial=1, label="Bản chính",
                                         widget=forms.NumberInput(attrs={"aria-label": "Số bản chính"}))
    photocopies = forms.IntegerField(required=False, min_value=0, max_value=20, initial=0, label="Bản sao",
                                     widget=forms.NumberInput(attrs={"aria-label": "Số bản sao"}))
    mandatory = forms.BooleanField(required=False, initial=True, label="Bắt buộc",
                                   widget=forms.CheckboxInput(attrs={"aria-label": "Bắt buộc"}))
    form_name = forms.CharField(required=False, max_length=255, label="Mẫu đơn, tờ khai",
                                widget=forms.TextInput(attrs={"aria-label": "Mẫu đơn, tờ khai"}))
    note = forms.CharField(required=False, max_length=2000, label="Ghi chú",
                           widget=forms.Textarea(attrs={"aria-label": "Ghi chú", "rows": 1}))


ChecklistFormSet = forms.formset_factory(ChecklistItemForm, extra=3, max_num=60, validate_max=True)


class ChecklistVersionForm(VietnameseErrors, forms.Form):
    """Phiên bản mới của thành phần hồ sơ: from which day, by which document."""

    effective_from = forms.DateField(required=False, input_formats=DATE_FORMATS, widget=DateInput(),
                                     label="Áp dụng từ ngày")
    decision_no = forms.CharField(required=False, max_length=120, label="Văn bản quy định (nếu có)")
