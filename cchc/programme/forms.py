"""Page form of a plan task (sửa nhiệm vụ). It only shapes input; the rules stay in `services` (`task_update` for
the content, unit, head, deadline and target; `task_set_status` for the status, with its completion date or reason)."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from cchc.accounts.models import Role, User
from cchc.core.errors import DomainError
from cchc.dossiers.templatetags.dossier_format import human
from cchc.units.models import Unit, UnitKind

from . import services
from .models import TaskStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class _HeadField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} — {obj.unit.name}" if obj.unit_id else name


class TaskEditForm(forms.Form):
    content = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 3}))
    unit = _UnitField(label="Đơn vị chủ trì", queryset=Unit.objects.none(), empty_label="— chọn đơn vị —")
    responsible = _HeadField(label="Người đứng đầu chịu trách nhiệm", queryset=User.objects.none(), required=False,
                             empty_label="— chưa giao (nhắc người đứng đầu đơn vị chủ trì) —")
    deadline = forms.DateField(label="Thời hạn", widget=DATE)
    target_value = forms.CharField(label="Chỉ tiêu", required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    target_unit = forms.CharField(label="Đơn vị tính", required=False, max_length=60, widget=forms.TextInput(attrs={"placeholder": "%"}))
    status = forms.ChoiceField(label="Trạng thái", choices=TaskStatus.choices)
    completed_on = forms.DateField(label="Ngày hoàn thành (khi chọn “Hoàn thành”)", required=False, widget=DATE)
    reason = forms.CharField(label="Lý do (khi chọn “Hủy bỏ”)", required=False, max_length=1000)
    version = forms.IntegerField(widget=forms.HiddenInput)

    EDIT_FIELDS = ("content", "unit", "responsible", "deadline", "target_value", "target_unit")

    def __init__(self, *args, task, **kwargs):
        initial = {"content": task.content, "unit": task.unit_id, "responsible": task.responsible_id, "deadline": task.deadline,
                   "target_value": task.target_value, "target_unit": task.target_unit, "status": task.status,
                   "completed_on": task.completed_on, "version": task.version}
        super().__init__(*args, initial=initial, auto_id=f"t{task.pk}-%s", **kwargs)
        self.task = task
        province_id = task.plan.unit.province_id or task.plan.unit_id
        self.fields["unit"].queryset = Unit.objects.filter(Q(pk=province_id) | Q(province_id=province_id), is_active=True).exclude(
            kind=UnitKind.ONE_STOP_DESK).order_by("kind", "name")
        heads = Q(role=Role.UNIT_HEAD, is_active=True) & (Q(unit_id=province_id) | Q(unit__province_id=province_id))
        if task.responsible_id:
            heads |= Q(pk=task.responsible_id)
        self.fields["responsible"].queryset = User.objects.filter(heads).select_related("unit").order_by("unit__name", "last_name", "username")

    def clean_target_value(self):
        """Chỉ tiêu as typed ("95,5" or "95.5"); the range rule is the service's (`services._number`)."""
        raw = (self.cleaned_data.get("target_value") or "").strip()
        if not raw:
            return None
        try:
            return services._number(raw, "target_value")
        except DomainError as exc:
            raise forms.ValidationError(human(exc.message)) from None

    def changes(self) -> dict:
        """The edited fields whose value differs from the task (only those go to `task_update`)."""
        d, t, out = self.cleaned_data, self.task, {}
        current = {"content": t.content, "unit": t.unit, "responsible": t.responsible, "deadline": t.deadline,
                   "target_value": t.target_value, "target_unit": t.target_unit}
        for key in self.EDIT_FIELDS:
            value = d.get(key)
            if key in ("content", "target_unit"):
                value = (value or "").strip()
            if value != current[key]:
                out[key] = value if value is not None else ""
        return out
