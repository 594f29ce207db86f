"""Page forms of inspections (kiểm tra CCHC). They only parse and shape input; every rule lives in `services`
(one definition each), and a DomainError from a service is put back on the field it names (`put_error`)."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q

from cchc.units.models import Unit, UnitKind

from .models import ActionTaken, Conduct, Severity

TEAM_ROWS = 6  # rows offered for the team; empty rows are ignored (đoàn thường 3–7 người)
_FIELD_PREFIX = re.compile(r"^[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?: ")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def human(message: str) -> str:
    """Drop the machine field prefix of a service message ("deadline: hạn…" → "Hạn…"); the field is named by
    the form row the message sits under."""
    stripped = _FIELD_PREFIX.sub("", str(message or ""), count=1)
    return stripped[:1].upper() + stripped[1:]


def put_error(form: forms.Form, exc, *, aliases: dict[str, str] | None = None) -> None:
    """Show a service's DomainError under the form field it names (else above the form)."""
    field = (aliases or {}).get(exc.field, exc.field)
    if field in form.fields:
        form.add_error(field, human(exc.message))
    else:
        form.add_error(None, human(exc.message))


def province_units(province: Unit):
    """The province and its active units an inspection may concern (no one-stop desks, no historical units)."""
    return Unit.objects.filter(Q(pk=province.pk) | Q(province=province), is_active=True).exclude(
        kind__in=[UnitKind.ONE_STOP_DESK, UnitKind.OLD_COMMUNE, UnitKind.OLD_PROVINCE, UnitKind.DISTRICT])


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class PlanForm(forms.Form):
    year = forms.IntegerField(label="Năm kế hoạch", min_value=2000, max_value=2100)
    title = forms.CharField(label="Tên kế hoạch", max_length=255)
    document_number = forms.CharField(label="Số văn bản", max_length=80, required=False,
                                      widget=forms.TextInput(attrs={"placeholder": "25/KH-UBND"}))
    issued_on = forms.DateField(label="Ngày ban hành", required=False, widget=DATE)


class InspectionForm(forms.Form):
    """Cuộc kiểm tra with its team: up to TEAM_ROWS members, the leader chosen by a radio on the row."""

    unit = UnitChoiceField(label="Đơn vị được kiểm tra", queryset=Unit.objects.none(), empty_label="— chọn đơn vị —")
    scope = forms.CharField(label="Nội dung kiểm tra", widget=forms.Textarea(attrs={"rows": 3}))
    planned_start = forms.DateField(label="Dự kiến từ ngày", widget=DATE)
    planned_end = forms.DateField(label="Dự kiến đến ngày", widget=DATE)
    leader = forms.TypedChoiceField(label="Trưởng đoàn", coerce=int, choices=[(i, str(i + 1)) for i in range(TEAM_ROWS)],
                                    widget=forms.RadioSelect, required=False)
    members = forms.CharField(required=False, widget=forms.HiddenInput, label="Đoàn kiểm tra")  # errors about the team sit here

    def __init__(self, *args, province: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        units = province_units(province).order_by("kind", "name")
        self.fields["unit"].queryset = units
        for i in range(TEAM_ROWS):
            self.fields[f"m{i}_name"] = forms.CharField(label=f"Thành viên {i + 1}: họ và tên", max_length=120, required=False)
            self.fields[f"m{i}_position"] = forms.CharField(label=f"Thành viên {i + 1}: chức vụ", max_length=160, required=False)
            self.fields[f"m{i}_unit"] = UnitChoiceField(label=f"Thành viên {i + 1}: cơ quan", queryset=units, required=False,
                                                        empty_label="— cơ quan —")
            for part in ("name", "position", "unit"):
                f = self.fields[f"m{i}_{part}"]
                f.widget.attrs["aria-label"] = f.label

    def team_rows(self):
        return [{"i": i, "name": self[f"m{i}_name"], "position": self[f"m{i}_position"], "unit": self[f"m{i}_unit"],
                 "leader": str(self.data.get("leader", "")) == str(i) if self.is_bound else i == 0} for i in range(TEAM_ROWS)]

    def clean(self):
        data = super().clean()
        members = []
        for i in range(TEAM_ROWS):
            name, unit = data.get(f"m{i}_name", ""), data.get(f"m{i}_unit")
            if not name and unit is None:
                continue
            if not name:
                self.add_error(f"m{i}_name", "Nhập họ và tên thành viên (hoặc bỏ trống cả dòng).")
            if unit is None:
                self.add_error(f"m{i}_unit", "Chọn cơ quan của thành viên (hoặc bỏ trống cả dòng).")
            members.append({"name": name, "position": data.get(f"m{i}_position", ""), "unit": unit,
                            "is_leader": data.get("leader") == i})
        data["team"] = members
        return data


class ConductedForm(forms.Form):
    actual_start = forms.DateField(label="Thực tế từ ngày", widget=DATE)
    actual_end = forms.DateField(label="Thực tế đến ngày", widget=DATE)
    conclusion_number = forms.CharField(label="Số thông báo kết luận", max_length=80, required=False)


class FindingForm(forms.Form):
    text = forms.CharField(label="Nội dung phát hiện", widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label="Mức độ", choices=Severity.choices, initial=Severity.MINOR)
    official_name = forms.CharField(label="Cán bộ liên quan (nếu có)", max_length=120, required=False,
                                    help_text="Chỉ cơ quan thường trực CCHC và người đứng đầu đơn vị được kiểm tra xem được.")
    official_position = forms.CharField(label="Chức vụ cán bộ", max_length=160, required=False)
    conduct = forms.ChoiceField(label="Hành vi của cán bộ", choices=Conduct.choices, required=False)
    action_taken = forms.ChoiceField(label="Hình thức xử lý", choices=ActionTaken.choices, required=False)
    action_note = forms.CharField(label="Ghi chú xử lý", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FindingActionForm(forms.Form):
    action_taken = forms.ChoiceField(label="Hình thức xử lý", choices=[c for c in ActionTaken.choices if c[0]])
    action_note = forms.CharField(label="Ghi chú xử lý", required=False, max_length=2000)


class RecommendationForm(forms.Form):
    text = forms.CharField(label="Nội dung kiến nghị", widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = UnitChoiceField(label="Đơn vị thực hiện", queryset=Unit.objects.none(), empty_label="— chọn đơn vị —")
    deadline = forms.DateField(label="Hạn hoàn thành", widget=DATE)
    finding = forms.TypedChoiceField(label="Gắn với phát hiện", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, inspection, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = province_units(inspection.plan.province).order_by("kind", "name")
        self.fields["responsible_unit"].initial = inspection.unit_id
        self.fields["finding"].choices = [("", "— không —")] + [(f.pk, f"#{n}. {f.text[:70]}") for n, f in enumerate(findings, 1)]


class FollowUpForm(forms.Form):
    text = forms.CharField(label="Nội dung báo cáo", widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(label="Tệp minh chứng (PDF, JPG, PNG, DOCX, XLSX; tối đa 10 MB)", required=False)
    completes = forms.BooleanField(label="Đơn vị đã hoàn thành kiến nghị", required=False)
