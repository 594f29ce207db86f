"""Page forms of the one-stop desk, the specialist views and the citizen portal.

Forms only parse and check shapes (required, lengths, dates); the rules live in the services, whose
DomainError messages the views show next to the form.
"""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone

from .models import ApplicantKind, Channel, PaymentStatus, ResultChannel

INPUT_CLASSES = ""


class ApplicantFields(forms.Form):
    """Người nộp hồ sơ."""

    applicant_kind = forms.ChoiceField(label="Loại người nộp", choices=ApplicantKind.choices, initial=ApplicantKind.PERSON)
    applicant_name = forms.CharField(label="Họ tên / tên tổ chức", max_length=255)
    applicant_id_number = forms.CharField(label="Số định danh / mã số doanh nghiệp", max_length=20, required=False)
    applicant_phone = forms.CharField(label="Số điện thoại", max_length=20, required=False)
    applicant_email = forms.CharField(label="Thư điện tử", max_length=254, required=False)
    applicant_address = forms.CharField(label="Địa chỉ", max_length=500, required=False)

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data.get("applicant_kind") or ApplicantKind.PERSON,
            "name": data.get("applicant_name", ""),
            "id_number": data.get("applicant_id_number", ""),
            "phone": data.get("applicant_phone", ""),
            "email": data.get("applicant_email", ""),
            "address": data.get("applicant_address", ""),
        }


class IntakeForm(ApplicantFields):
    """Tiếp nhận hồ sơ tại quầy."""

    channel = forms.ChoiceField(
        label="Kênh nộp", choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
        initial=Channel.COUNTER,
    )
    result_channel = forms.ChoiceField(label="Nhận kết quả", choices=ResultChannel.choices, initial=ResultChannel.COUNTER)
    documents = forms.MultipleChoiceField(label="Thành phần hồ sơ đã nhận", required=False, choices=())
    other_documents = forms.CharField(
        label="Giấy tờ khác (mỗi dòng một giấy tờ)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    payment_status = forms.ChoiceField(
        label="Phí, lệ phí",
        choices=[(PaymentStatus.UNPAID, "Chưa nộp"), (PaymentStatus.PAID_COUNTER, "Đã nộp tại quầy"),
                 (PaymentStatus.EXEMPT, "Miễn")],
        required=False,
    )
    payment_reference = forms.CharField(label="Số biên lai", max_length=80, required=False)

    def __init__(self, *args, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(str(r.pk), r.name) for r in checklist]
        self.checklist = {str(r.pk): r for r in checklist}

    def document_names(self) -> list[str]:
        names = [self.checklist[pk].name for pk in self.cleaned_data.get("documents", []) if pk in self.checklist]
        for line in (self.cleaned_data.get("other_documents") or "").splitlines():
            if line.strip():
                names.append(line.strip()[:500])
        return names


def _local(value) -> datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_current_timezone())
    return value


class ActionForm(forms.Form):
    """One workflow action on a dossier (the fields each action needs are optional here)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Lý do", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    requested_documents = forms.CharField(
        label="Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    handling_unit_code = forms.CharField(label="Chuyển đến đơn vị", required=False, max_length=40)
    assignee = forms.CharField(label="Cán bộ xử lý (tên đăng nhập)", required=False, max_length=150)
    step_allowance = forms.DecimalField(label="Thời gian cho bước (ngày làm việc)", required=False, min_value=0, max_digits=7, decimal_places=2)
    step_allowance_hours = forms.DecimalField(label="hoặc số giờ làm việc", required=False, min_value=0, max_digits=7, decimal_places=2)
    task = forms.CharField(label="Nội dung công việc", required=False, max_length=255)
    note = forms.CharField(label="Ghi chú", required=False, max_length=2000)
    new_due_date = forms.DateField(label="Ngày hẹn trả mới", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    new_due_time = forms.TimeField(label="Giờ", required=False, input_formats=["%H:%M"], initial=time(17, 0))
    issue_electronic_result = forms.BooleanField(label="Phát hành kết quả điện tử có ký số", required=False)
    result_title = forms.CharField(label="Tên kết quả", required=False, max_length=255)
    result_number = forms.CharField(label="Số, ký hiệu", required=False, max_length=80)
    result_summary = forms.CharField(label="Trích yếu", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    result_file = forms.FileField(label="Tệp kết quả (PDF, nếu có)", required=False)
    signatory = forms.CharField(label="Người ký", required=False, max_length=150)

    def full_reason(self) -> str:
        """The reason, followed by one "- <giấy tờ>" line per document to supplement (Mẫu 02's table)."""
        reason = (self.cleaned_data.get("reason") or "").strip()
        lines = [line.strip() for line in (self.cleaned_data.get("requested_documents") or "").splitlines() if line.strip()]
        if not lines:
            return reason
        return "\n".join([reason, *[f"- {line}" for line in lines]]).strip()

    def params(self) -> dict:
        data = self.cleaned_data
        out = {}
        for key in ("handling_unit_code", "assignee", "task", "note", "signatory"):
            if data.get(key):
                out[key] = data[key]
        for key in ("step_allowance", "step_allowance_hours"):
            if data.get(key) is not None:
                out[key] = data[key]
        if data.get("new_due_date"):
            moment = datetime.combine(data["new_due_date"], data.get("new_due_time") or time(17, 0))
            out["new_due_at"] = _local(moment)
        return out

    def clean_result_file(self):
        upload = self.cleaned_data.get("result_file")
        if upload is None:
            return None
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("Tệp kết quả phải là PDF.")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Tệp kết quả quá lớn (tối đa 20 MB).")
        return upload


class ElectronicResultForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    result_title = forms.CharField(label="Tên kết quả", required=False, max_length=255)
    result_number = forms.CharField(label="Số, ký hiệu", required=False, max_length=80)
    result_summary = forms.CharField(label="Trích yếu", required=False, max_length=2000)
    result_file = ActionForm.base_fields["result_file"]
    signatory = forms.CharField(label="Người ký", required=False, max_length=150)

    clean_result_file = ActionForm.clean_result_file


class RegisterForm(forms.Form):
    """Sổ theo dõi hồ sơ: unit and period."""

    unit = forms.CharField(label="Đơn vị (mã)", max_length=40)
    date_from = forms.DateField(label="Từ ngày", input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    date_to = forms.DateField(label="Đến ngày", input_formats=["%Y-%m-%d", "%d/%m/%Y"])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        if data.get("date_from") and data.get("date_to") and (data["date_to"] - data["date_from"]).days > 366:
            raise forms.ValidationError("Mỗi lần xuất tối đa một năm.")
        return data


class OnlineFilingForm(ApplicantFields):
    """Nộp hồ sơ trực tuyến."""

    result_channel = forms.ChoiceField(label="Nhận kết quả", choices=ResultChannel.choices, initial=ResultChannel.ONLINE)
    confirm = forms.BooleanField(label="Tôi cam đoan thông tin kê khai là đúng sự thật")


class LookupForm(forms.Form):
    code = forms.CharField(label="Mã hồ sơ", max_length=60)
    token = forms.CharField(label="Mã tra cứu", max_length=24)

    def clean_code(self):
        from .codes import normalise_code

        return normalise_code(self.cleaned_data["code"])

    def clean_token(self):
        from .codes import normalise_token

        return normalise_token(self.cleaned_data["token"])


STAR_CHOICES = [(str(i), str(i)) for i in range(1, 6)]


class RatingForm(forms.Form):
    code = forms.CharField(max_length=60, widget=forms.HiddenInput)
    token = forms.CharField(max_length=16, widget=forms.HiddenInput)
    overall = forms.ChoiceField(label="Mức độ hài lòng chung", choices=STAR_CHOICES, widget=forms.RadioSelect)
    access = forms.ChoiceField(label="Tiếp cận dịch vụ", choices=STAR_CHOICES, required=False, widget=forms.RadioSelect)
    procedure = forms.ChoiceField(label="Thủ tục hành chính", choices=STAR_CHOICES, required=False, widget=forms.RadioSelect)
    officials = forms.ChoiceField(label="Công chức giải quyết", choices=STAR_CHOICES, required=False, widget=forms.RadioSelect)
    result = forms.ChoiceField(label="Kết quả giải quyết", choices=STAR_CHOICES, required=False, widget=forms.RadioSelect)
    feedback = forms.ChoiceField(label="Tiếp nhận, xử lý góp ý", choices=STAR_CHOICES, required=False, widget=forms.RadioSelect)
    comment = forms.CharField(label="Góp ý (không bắt buộc)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    ASPECTS = ("access", "procedure", "officials", "result", "feedback")

    def aspects(self) -> dict:
        return {k: int(self.cleaned_data[k]) for k in self.ASPECTS if self.cleaned_data.get(k)}


class PaymentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reference = forms.CharField(label="Mã giao dịch thanh toán", max_length=80)
