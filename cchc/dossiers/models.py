"""Dossier engine (hồ sơ một cửa): dossiers, their clock, hand-overs, pauses, apologies and outbox.

Writes go through `cchc.dossiers.services`; reads through `cchc.dossiers.selectors`. The state
machine lives in `cchc.dossiers.workflow` (state constants and ALLOWED_TRANSITIONS).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import workflow


class Channel(models.TextChoices):
    """Kênh nộp hồ sơ."""

    COUNTER = "counter", "Trực tiếp"
    POST = "post", "Bưu chính công ích"
    ONLINE = "online", "Trực tuyến"


class ResultChannel(models.TextChoices):
    """Hình thức nhận kết quả."""

    COUNTER = "counter", "Nhận trực tiếp"
    POST = "post", "Qua bưu chính công ích"
    ONLINE = "online", "Trực tuyến (kết quả điện tử)"


class ApplicantKind(models.TextChoices):
    """Loại người nộp: cá nhân / tổ chức."""

    PERSON = "person", "Cá nhân"
    ORGANISATION = "organisation", "Tổ chức"


class PaymentStatus(models.TextChoices):
    """Tình trạng phí, lệ phí."""

    NOT_REQUIRED = "not_required", "Không thu phí"
    UNPAID = "unpaid", "Chưa nộp"
    PAID_COUNTER = "paid_counter", "Đã nộp tại quầy"
    PAID_ONLINE = "paid_online", "Đã thanh toán trực tuyến"
    EXEMPT = "exempt", "Miễn phí, lệ phí"


# what a client may record (API payment.status, dossier_record_payment); not_required is set by the system only
PAYMENT_RECORDABLE = [(s.value, s.label) for s in (PaymentStatus.PAID_COUNTER, PaymentStatus.PAID_ONLINE, PaymentStatus.EXEMPT, PaymentStatus.UNPAID)]

class PauseKind(models.TextChoices):
    """Loại tạm dừng tính thời hạn."""

    SUPPLEMENT = "supplement", "Yêu cầu bổ sung, hoàn thiện hồ sơ"
    LEGAL = "legal", "Tạm dừng theo quy định (nghĩa vụ tài chính, xác minh...)"


class DossierCounter(models.Model):
    """Bộ đếm số thứ tự hồ sơ trong ngày, per agency identifier (locked with select_for_update)."""

    agency_id = models.CharField(max_length=40, verbose_name="mã cơ quan")
    day = models.DateField(verbose_name="ngày")
    last_seq = models.PositiveIntegerField(default=0, verbose_name="số thứ tự cuối")

    class Meta:
        verbose_name = "bộ đếm mã hồ sơ"
        verbose_name_plural = "bộ đếm mã hồ sơ"
        constraints = [models.UniqueConstraint(fields=["agency_id", "day"], name="uniq_dossier_counter_agency_day")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last_seq}"


class Dossier(models.Model):
    """Hồ sơ: one application for one published procedure, filed at one unit.

    Clock: `received_at` (tiếp nhận) → `counted_from` (calendar rule) → `due_at` (hạn giải quyết,
    moved only by pause rows, via services). `promised_at` is the date promised by an apology letter;
    it never replaces `due_at` for the statistics. `due_date` / `settled_on` are local (province
    time zone) dates stored so the early/on-time/late definitions are plain column comparisons.
    """

    code = models.CharField(max_length=60, unique=True, help_text="Mã hồ sơ", verbose_name="mã hồ sơ")
    lookup_token = models.CharField(max_length=16, help_text="Mã tra cứu bí mật in trên giấy tiếp nhận", verbose_name="mã tra cứu")
    status = models.CharField(max_length=32, choices=workflow.STATUS_CHOICES, db_index=True, verbose_name="trạng thái")
    version = models.PositiveIntegerField(default=1, help_text="Khoá lạc quan: tăng mỗi lần thay đổi", verbose_name="phiên bản")

    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers", verbose_name="thủ tục")
    province_procedure = models.ForeignKey(
        "catalog.ProvinceProcedure", on_delete=models.PROTECT, related_name="dossiers",
        help_text="Phiên bản công bố áp dụng khi tiếp nhận",
        verbose_name="thủ tục áp dụng tại tỉnh",
    )
    checklist = models.ForeignKey(
        "catalog.Checklist", null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers",
        help_text="Phiên bản thành phần hồ sơ áp dụng khi tiếp nhận (trống: hồ sơ trước khi có phiên bản)",
        verbose_name="phiên bản thành phần hồ sơ",
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossiers", help_text="Nơi tiếp nhận", verbose_name="đơn vị")
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    handling_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_dossiers",
        help_text="Cơ quan đang giải quyết",
        verbose_name="đơn vị giải quyết",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_dossiers",
        verbose_name="người đang xử lý",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, db_index=True, verbose_name="kênh nộp")
    result_channel = models.CharField(max_length=10, choices=ResultChannel.choices, default=ResultChannel.COUNTER, verbose_name="hình thức nhận kết quả")

    applicant_kind = models.CharField(max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON, verbose_name="loại người nộp")
    applicant_name = models.CharField(max_length=255, verbose_name="tên người nộp")
    applicant_id_number = models.CharField(max_length=20, blank=True, help_text="Số định danh / mã số doanh nghiệp", verbose_name="số định danh người nộp")
    applicant_phone = models.CharField(max_length=20, blank=True, verbose_name="điện thoại người nộp")
    applicant_email = models.EmailField(blank=True, verbose_name="thư điện tử người nộp")
    applicant_address = models.CharField(max_length=500, blank=True, verbose_name="địa chỉ người nộp")
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_dossiers",
        verbose_name="tài khoản người nộp",
    )

    submitted_at = models.DateTimeField(null=True, blank=True, help_text="Nộp trực tuyến (chờ tiếp nhận)", verbose_name="thời điểm nộp")
    received_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Tiếp nhận", verbose_name="thời điểm tiếp nhận")
    counted_from = models.DateTimeField(null=True, blank=True, help_text="Bắt đầu tính thời hạn", verbose_name="tính thời hạn từ")
    due_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Hạn trả kết quả", verbose_name="hạn giải quyết")
    due_date = models.DateField(null=True, blank=True, help_text="Ngày hẹn trả (giờ địa phương)", verbose_name="ngày hẹn trả")
    original_due_at = models.DateTimeField(null=True, blank=True, help_text="Hạn tính lúc tiếp nhận, trước tạm dừng", verbose_name="hạn ban đầu")
    promised_at = models.DateTimeField(null=True, blank=True, help_text="Ngày hẹn lại theo phiếu xin lỗi", verbose_name="hẹn trả")
    time_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, verbose_name="thời hạn giải quyết")
    time_unit = models.CharField(max_length=20, blank=True, verbose_name="đơn vị thời hạn")
    calendar_stamp = models.CharField(max_length=80, blank=True, help_text="Phiên bản lịch làm việc đã tính hạn", verbose_name="phiên bản lịch")
    settled_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Có kết quả giải quyết", verbose_name="thời điểm có kết quả")
    settled_on = models.DateField(null=True, blank=True, verbose_name="ngày có kết quả")
    returned_at = models.DateTimeField(null=True, blank=True, help_text="Đã trả kết quả", verbose_name="thời điểm trả kết quả")
    closed_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Ra khỏi khâu giải quyết (có kết quả, từ chối hoặc rút)",
        verbose_name="thời điểm kết thúc",
    )
    paused_since = models.DateTimeField(null=True, blank=True, verbose_name="tạm dừng từ")
    supplement_count = models.PositiveSmallIntegerField(default=0, verbose_name="số lần bổ sung")
    apology_count = models.PositiveSmallIntegerField(default=0, verbose_name="số thư xin lỗi")
    status_reason = models.TextField(blank=True, help_text="Lý do từ chối / rút / tạm dừng gần nhất", verbose_name="lý do trạng thái")

    fee_amount = models.DecimalField(max_digits=14, decimal_places=0, default=0, verbose_name="lệ phí (đồng)")
    payment_status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.NOT_REQUIRED, verbose_name="tình trạng thanh toán")
    payment_reference = models.CharField(max_length=80, blank=True, verbose_name="mã giao dịch")
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm nộp phí")

    has_electronic_documents = models.BooleanField(default=False, help_text="Có ít nhất một thành phần điện tử (số hóa)", verbose_name="có hồ sơ điện tử")
    has_electronic_result = models.BooleanField(default=False, help_text="Có kết quả điện tử", verbose_name="có kết quả điện tử")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người tạo",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người cập nhật",
    )

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["province", "received_at"]),
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["handling_unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_label(self) -> str:
        return workflow.STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status in workflow.OPEN_STATES


class DossierDocument(models.Model):
    """Thành phần hồ sơ đã nhận: a document received (paper, by name) or an uploaded file.

    `kind` "input" for what the applicant filed, "result" for a result file. Files live under
    settings.MEDIA_ROOT with a generated name; `sha256` fixes their content.
    """

    KIND_INPUT = "input"
    KIND_RESULT = "result"
    KIND_CHOICES = [(KIND_INPUT, "Thành phần hồ sơ"), (KIND_RESULT, "Kết quả")]

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents", verbose_name="hồ sơ")
    required_document = models.ForeignKey(
        "catalog.ChecklistItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Dòng thành phần hồ sơ (của phiên bản đã tiếp nhận) mà giấy tờ này đáp ứng",
        verbose_name="giấy tờ yêu cầu",
    )
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=KIND_INPUT, verbose_name="loại giấy tờ")
    name = models.CharField(max_length=500, verbose_name="tên")
    is_electronic = models.BooleanField(default=False, verbose_name="bản điện tử")
    file_path = models.CharField(max_length=300, blank=True, help_text="Đường dẫn tương đối trong MEDIA_ROOT", verbose_name="đường dẫn tệp")
    original_name = models.CharField(max_length=255, blank=True, verbose_name="tên tệp gốc")
    content_type = models.CharField(max_length=100, blank=True, verbose_name="kiểu tệp")
    size = models.PositiveBigIntegerField(default=0, verbose_name="dung lượng (byte)")
    sha256 = models.CharField(max_length=64, blank=True, verbose_name="mã băm SHA-256")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tải lên")
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tải lên")

    class Meta:
        verbose_name = "giấy tờ trong hồ sơ"
        verbose_name_plural = "giấy tờ trong hồ sơ"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ElectronicResult(models.Model):
    """Kết quả điện tử: a (signed) result file for a dossier, stored under MEDIA_ROOT."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="electronic_results", verbose_name="hồ sơ")
    file_path = models.CharField(max_length=300, verbose_name="đường dẫn tệp")
    sha256 = models.CharField(max_length=64, verbose_name="mã băm SHA-256")
    size = models.PositiveBigIntegerField(default=0, verbose_name="dung lượng (byte)")
    signed = models.BooleanField(default=False, verbose_name="đã ký số")
    signer = models.CharField(max_length=255, blank=True, verbose_name="người ký")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người ban hành")
    issued_at = models.DateTimeField(verbose_name="thời điểm ban hành")
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="người ký", help_text="Người đứng đầu (hoặc cấp phó ký thay) của cơ quan giải quyết",
    )

    class Meta:
        verbose_name = "kết quả điện tử"
        verbose_name_plural = "kết quả điện tử"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.file_path}"


class DossierStep(models.Model):
    """Một dòng phiếu kiểm soát quá trình giải quyết hồ sơ: one hand-over and its own allowance.

    The step is held by `to_unit` / `to_user` from `sent_at` until `finished_at` (the next hand-over
    or the result). It is late when finished after its own `due_at`; lateness is attributed to the
    holder of the step.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps", verbose_name="hồ sơ")
    seq = models.PositiveSmallIntegerField(verbose_name="số thứ tự")
    from_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="từ đơn vị")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="người chuyển")
    to_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossier_steps", verbose_name="đến đơn vị")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossier_steps", verbose_name="người nhận xử lý")
    task = models.CharField(max_length=255, blank=True, help_text="Nội dung công việc", verbose_name="công việc")
    note = models.TextField(blank=True, verbose_name="ghi chú")
    sent_at = models.DateTimeField(verbose_name="thời điểm gửi")
    allowance_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Thời gian cho phép (giây làm việc)", verbose_name="thời gian cho phép (giây)")
    due_at = models.DateTimeField(verbose_name="hạn giải quyết")
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm hoàn thành")
    on_time = models.BooleanField(null=True, blank=True, verbose_name="đúng hạn")

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "bước xử lý"
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_dossier_step_seq")]
        indexes = [models.Index(fields=["to_unit", "on_time"]), models.Index(fields=["finished_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq}"


class DossierPause(models.Model):
    """Tạm dừng tính thời hạn (yêu cầu bổ sung hoặc lý do hợp pháp khác).

    When it ends, the dossier's due time moves by `working_seconds` (the working time it consumed).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses", verbose_name="hồ sơ")
    kind = models.CharField(max_length=12, choices=PauseKind.choices, verbose_name="loại tạm dừng")
    reason = models.TextField(verbose_name="lý do")
    started_at = models.DateTimeField(verbose_name="thời điểm bắt đầu")
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm kết thúc")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người bắt đầu")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người kết thúc")
    resume_state = models.CharField(max_length=32, help_text="Trạng thái trở lại khi hết tạm dừng", verbose_name="trạng thái khi tiếp tục")
    working_seconds = models.PositiveIntegerField(null=True, blank=True, verbose_name="thời gian làm việc (giây)")
    due_before = models.DateTimeField(null=True, blank=True, verbose_name="hạn trước")
    due_after = models.DateTimeField(null=True, blank=True, verbose_name="hạn sau")

    class Meta:
        verbose_name = "tạm dừng hồ sơ"
        verbose_name_plural = "tạm dừng hồ sơ"
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.started_at}"


class ApologyLetter(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: before the due time, or after it (marked `issued_late`)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies", verbose_name="hồ sơ")
    issued_at = models.DateTimeField(verbose_name="thời điểm ban hành")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người ban hành")
    issuing_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị ban hành")
    reason = models.TextField(verbose_name="lý do")
    due_at = models.DateTimeField(help_text="Hạn giải quyết lúc xin lỗi", verbose_name="hạn giải quyết")
    new_due_at = models.DateTimeField(help_text="Ngày hẹn lại", verbose_name="hạn mới")
    issued_late = models.BooleanField(
        default=False, verbose_name="lập khi đã quá hạn",
        help_text="Phiếu lập sau thời hạn giải quyết (hồ sơ đã quá hạn); hồ sơ vẫn tính là trễ hạn trong thống kê",
    )
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="người ký", help_text="Người đứng đầu (hoặc cấp phó ký thay) của cơ quan giải quyết",
    )

    class Meta:
        verbose_name = "thư xin lỗi"
        verbose_name_plural = "thư xin lỗi"
        ordering = ["dossier", "issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at}"


class DossierRating(models.Model):
    """Đánh giá của người dân sau khi nhận kết quả (1–5), overall and per SIPAS aspect (optional)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating", verbose_name="hồ sơ")
    overall = models.PositiveSmallIntegerField(verbose_name="hài lòng chung")
    access = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Tiếp cận dịch vụ", verbose_name="tiếp cận dịch vụ")
    procedure = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Thủ tục hành chính", verbose_name="thủ tục")
    officials = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Công chức giải quyết", verbose_name="công chức")
    result = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Kết quả cung ứng dịch vụ", verbose_name="kết quả")
    feedback = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Tiếp nhận, giải quyết góp ý, PAKN", verbose_name="góp ý")
    comment = models.TextField(blank=True, verbose_name="ý kiến")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    ASPECTS = ("access", "procedure", "officials", "result", "feedback")

    class Meta:
        verbose_name = "đánh giá hồ sơ"
        verbose_name_plural = "đánh giá hồ sơ"

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for retries by the same user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="tài khoản")
    key = models.CharField(max_length=200, verbose_name="khóa idempotency")
    scope = models.CharField(max_length=60, default="dossier_create", verbose_name="phạm vi")
    request_hash = models.CharField(max_length=64, verbose_name="mã băm yêu cầu")
    response_status = models.PositiveSmallIntegerField(verbose_name="mã phản hồi")
    response_body = models.JSONField(verbose_name="nội dung phản hồi")
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="hồ sơ")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "bản ghi chống trùng"
        verbose_name_plural = "bản ghi chống trùng"
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="uniq_idempotency_user_scope_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class PendingUpload(models.Model):
    """Tệp chờ nộp: a file the applicant attached to an online form that was not accepted yet.

    Tied to the form's token (the same token is the submission's idempotency key), so a form sent back
    with an error keeps its files and the applicant does not upload them again. When the dossier is filed
    the file becomes a DossierDocument (same storage name) and the row is deleted; abandoned rows are
    purged with their files (`online.pending_uploads_purge`).
    """

    SLOT_OTHER = "other"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="người nộp")
    form_token = models.CharField(max_length=64, db_index=True, verbose_name="mã biểu mẫu")
    slot = models.CharField(max_length=40, verbose_name="vị trí", help_text="req:<id> (một dòng thành phần hồ sơ) hoặc other")
    required_document_id = models.PositiveBigIntegerField(
        null=True, blank=True, verbose_name="dòng thành phần hồ sơ", help_text="Dòng thành phần hồ sơ (id; không khoá ngoại để danh mục tự do tổ chức lại)",
    )
    name = models.CharField(max_length=500, verbose_name="tên giấy tờ")
    original_name = models.CharField(max_length=255, blank=True, verbose_name="tên tệp gốc")
    file_path = models.CharField(max_length=300, verbose_name="đường dẫn tệp")
    content_type = models.CharField(max_length=100, blank=True, verbose_name="kiểu nội dung")
    size = models.PositiveBigIntegerField(default=0, verbose_name="dung lượng (byte)")
    sha256 = models.CharField(max_length=64, verbose_name="mã băm SHA-256")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tải lên")

    class Meta:
        ordering = ["id"]
        verbose_name = "tệp chờ nộp"
        verbose_name_plural = "tệp chờ nộp"

    def __str__(self) -> str:
        return f"{self.form_token}:{self.slot} {self.original_name}"


class PeriodicRun(models.Model):
    """Lần chạy việc định kỳ hằng đêm: one row per nightly job per local day, claimed by the scheduler before it
    runs or enqueues the job, so a job runs once a day however many schedulers or cron ticks there are
    (`tasks.jobs_due`)."""

    job = models.CharField(max_length=100, verbose_name="việc định kỳ")
    run_on = models.DateField(verbose_name="ngày chạy")
    claimed_at = models.DateTimeField(verbose_name="thời điểm nhận chạy")

    class Meta:
        ordering = ["-run_on", "job"]
        verbose_name = "lần chạy việc định kỳ"
        verbose_name_plural = "lần chạy việc định kỳ"
        constraints = [models.UniqueConstraint(fields=["job", "run_on"], name="uniq_periodic_run_job_day")]

    def __str__(self) -> str:
        return f"{self.job} {self.run_on:%d/%m/%Y}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"


class Notification(models.Model):
    """Hộp thư đi (outbox): a message queued in the transaction, sent later by `send_pending_notifications`."""

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications", verbose_name="hồ sơ")
    kind = models.CharField(max_length=40, help_text="due_today | overdue | step_late | ...", verbose_name="loại thông báo")
    channel = models.CharField(max_length=20, default="email", verbose_name="kênh gửi")
    recipient = models.CharField(max_length=255, verbose_name="người nhận")
    subject = models.CharField(max_length=255, verbose_name="tiêu đề")
    body = models.TextField(verbose_name="nội dung")
    dedup_key = models.CharField(max_length=200, unique=True, verbose_name="khóa chống trùng")
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING, db_index=True, verbose_name="trạng thái")
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name="số lần gửi")
    last_error = models.TextField(blank=True, verbose_name="lỗi gần nhất")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm gửi")

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"


class IssuedDocument(models.Model):
    """Văn bản đã phát hành: the fields a form printed when it was issued, with its number and time.

    Reprints render `content`, never the dossier's current state, so a receipt reprinted after an apology
    still shows the original appointment; later changes appear on their own documents (apology, …).
    """

    KIND_CHOICES = [
        ("receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        ("rejection", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        ("apology", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    ]

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="issued_documents", verbose_name="hồ sơ")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES, verbose_name="loại văn bản")
    number = models.CharField(max_length=60, blank=True, verbose_name="số văn bản")
    issued_at = models.DateTimeField(verbose_name="thời điểm phát hành")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người lập")
    apology = models.OneToOneField(ApologyLetter, null=True, blank=True, on_delete=models.CASCADE, related_name="document", verbose_name="phiếu xin lỗi")
    content = models.JSONField(verbose_name="nội dung đã in", help_text="Các trường văn bản đã in lúc phát hành")
    prints = models.PositiveIntegerField(default=0, verbose_name="số lần in")
    last_printed_at = models.DateTimeField(null=True, blank=True, verbose_name="lần in gần nhất")

    class Meta:
        verbose_name = "văn bản đã phát hành"
        verbose_name_plural = "văn bản đã phát hành"
        ordering = ["dossier", "issued_at", "id"]
        indexes = [models.Index(fields=["dossier", "kind"])]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.number}"


class ApologyPublication(models.Model):
    """Công khai xin lỗi: a unit's choice to publish its apology letters on the public page (audited)."""

    unit = models.OneToOneField("units.Unit", on_delete=models.CASCADE, related_name="apology_publication", verbose_name="đơn vị")
    enabled = models.BooleanField(default=False, verbose_name="công khai")
    enabled_since = models.DateTimeField(null=True, blank=True, verbose_name="công khai từ",
                                         help_text="Chỉ công khai phiếu lập từ thời điểm này")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người cập nhật")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="cập nhật lúc")

    class Meta:
        verbose_name = "công khai xin lỗi"
        verbose_name_plural = "công khai xin lỗi"

    def __str__(self) -> str:
        return f"{self.unit_id}: {'công khai' if self.enabled else 'không công khai'}"


# ---------------------------------------------------------------------------------------------- rollups
# Bảng số liệu tổng hợp: counters kept per local day, maintained in the same transaction as each dossier change
# (cchc.dossiers.rollups). The dossier selectors stay the one definition of each statistic; rollups are their
# running sums. `handling_unit` here is never empty: a dossier without a handling unit is filed under its
# receiving unit (which gives the same row unit and the same scope in every selector; see docs/rollups.md).

ROLLUP_FLOW_FIELDS = (
    "received_new", "received_online", "received_with_electronic_documents", "received_fee_bearing",
    "received_paid_online", "settled", "settled_early", "settled_on_time", "settled_late",
    "settled_with_electronic_result", "settled_working_seconds", "returned", "returned_late", "rejected", "withdrawn",
    "supplemented", "supplement_requests", "pauses_started", "apology_issued", "apology_issued_late",
    "settled_digitised_with_result", "settled_dissatisfied", "settled_elapsed_seconds",
)
ROLLUP_STATE_FIELDS = ("open_delta", "overdue_delta", "dissatisfied_open_delta")
ROLLUP_FIELDS = ROLLUP_FLOW_FIELDS + ROLLUP_STATE_FIELDS


class RollupCounters(models.Model):
    """The counters of one rollup row (sums over the dossiers of its key on its day).

    Flows are counted on the local day of their event (received_new on the day of received_at, settled_* on
    the day of settled_at, ...). `open_delta` / `overdue_delta` are changes of the point-in-time states: the
    number of dossiers open (overdue) at the start of day D is the sum of the deltas of all days ≤ D.
    """

    day = models.DateField(verbose_name="ngày")
    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="tỉnh")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị tiếp nhận")
    handling_unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị giải quyết",
        help_text="Đơn vị giải quyết; hồ sơ chưa có đơn vị giải quyết được ghi theo đơn vị tiếp nhận",
    )
    received_new = models.IntegerField(default=0, verbose_name="tiếp nhận mới")
    received_online = models.IntegerField(default=0, verbose_name="tiếp nhận trực tuyến")
    received_with_electronic_documents = models.IntegerField(default=0, verbose_name="tiếp nhận có hồ sơ điện tử")
    received_fee_bearing = models.IntegerField(default=0, verbose_name="tiếp nhận có thu phí")
    received_paid_online = models.IntegerField(default=0, verbose_name="tiếp nhận đã thanh toán trực tuyến")
    settled = models.IntegerField(default=0, verbose_name="đã giải quyết")
    settled_early = models.IntegerField(default=0, verbose_name="trước hạn")
    settled_on_time = models.IntegerField(default=0, verbose_name="đúng hạn")
    settled_late = models.IntegerField(default=0, verbose_name="trễ hạn")
    settled_with_electronic_result = models.IntegerField(default=0, verbose_name="có kết quả điện tử")
    settled_working_seconds = models.BigIntegerField(default=0, verbose_name="tổng thời gian giải quyết (giây làm việc)")
    returned = models.IntegerField(default=0, verbose_name="đã trả kết quả")
    returned_late = models.IntegerField(default=0, verbose_name="trả kết quả quá hạn")
    rejected = models.IntegerField(default=0, verbose_name="từ chối")
    withdrawn = models.IntegerField(default=0, verbose_name="rút hồ sơ")
    supplemented = models.IntegerField(default=0, verbose_name="hồ sơ yêu cầu bổ sung")
    supplement_requests = models.IntegerField(default=0, verbose_name="lượt yêu cầu bổ sung")
    pauses_started = models.IntegerField(default=0, verbose_name="lượt tạm dừng")
    apology_issued = models.IntegerField(default=0, verbose_name="hồ sơ có phiếu xin lỗi")
    apology_issued_late = models.IntegerField(default=0, verbose_name="hồ sơ có phiếu xin lỗi lập khi đã quá hạn")
    open_delta = models.IntegerField(default=0, verbose_name="thay đổi số đang giải quyết")
    overdue_delta = models.IntegerField(default=0, verbose_name="thay đổi số đang quá hạn")
    # Chỉ số 766 (serviceindex): 4.2, 5.4, 2.2
    settled_digitised_with_result = models.IntegerField(default=0, verbose_name="đã giải quyết, số hóa và có kết quả điện tử")
    settled_dissatisfied = models.IntegerField(default=0, verbose_name="đã giải quyết, người dân không hài lòng")
    settled_elapsed_seconds = models.BigIntegerField(
        default=0, verbose_name="tổng thời gian từ tiếp nhận đến có kết quả (giây lịch)")
    dissatisfied_open_delta = models.IntegerField(default=0, verbose_name="thay đổi số đang giải quyết bị đánh giá không hài lòng")

    class Meta:
        abstract = True


class DossierRollup(RollupCounters):
    """Số liệu tổng hợp theo ngày × đơn vị × thủ tục × kênh nộp (drill-down, procedures, channels)."""

    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục")
    channel = models.CharField(max_length=10, choices=Channel.choices, verbose_name="kênh nộp")

    class Meta:
        verbose_name = "số liệu tổng hợp hồ sơ"
        verbose_name_plural = "số liệu tổng hợp hồ sơ"
        constraints = [models.UniqueConstraint(fields=["day", "unit", "handling_unit", "procedure", "channel"],
                                               name="uniq_dossier_rollup_key")]
        indexes = [models.Index(fields=["province", "day"]), models.Index(fields=["unit", "day"]),
                   models.Index(fields=["handling_unit", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id}/{self.handling_unit_id} {self.procedure_id} {self.channel}"


class UnitRollup(RollupCounters):
    """Số liệu tổng hợp theo ngày × đơn vị (the same counters summed over procedures and channels: dashboards)."""

    class Meta:
        verbose_name = "số liệu tổng hợp theo đơn vị"
        verbose_name_plural = "số liệu tổng hợp theo đơn vị"
        constraints = [models.UniqueConstraint(fields=["day", "unit", "handling_unit"], name="uniq_unit_rollup_key")]
        indexes = [models.Index(fields=["province", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id}/{self.handling_unit_id}"


class UnitMonthRollup(RollupCounters):
    """Số liệu tổng hợp theo tháng × đơn vị: UnitRollup summed over the days of a month (`day` = the 1st).

    Readers take whole months from here and the days of a partial month from UnitRollup: a year of figures is a
    few thousand rows, whatever the number of dossiers."""

    class Meta:
        verbose_name = "số liệu tổng hợp theo tháng"
        verbose_name_plural = "số liệu tổng hợp theo tháng"
        constraints = [models.UniqueConstraint(fields=["day", "unit", "handling_unit"], name="uniq_unit_month_rollup_key")]
        indexes = [models.Index(fields=["province", "day"])]

    def __str__(self) -> str:
        return f"{self.day:%m/%Y} {self.unit_id}/{self.handling_unit_id}"


class RollupRepeat(models.Model):
    """Lặp lại: a dossier with events of one kind (supplement, apology letter) on two distinct days.

    "Dossiers with at least one such event in a period" is not a sum of days: a dossier with letters on days
    p < d is counted once in a period containing both. One row per consecutive pair of distinct days (p, d)
    lets the readers subtract those pairs: count = Σ days in the period − Σ pairs with p ≥ start and d ≤ end.
    """

    kind = models.CharField(max_length=24, verbose_name="loại")
    first_day = models.DateField(verbose_name="ngày trước")
    day = models.DateField(verbose_name="ngày")
    province = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="tỉnh")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị tiếp nhận")
    handling_unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="đơn vị giải quyết")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="+", verbose_name="thủ tục")
    channel = models.CharField(max_length=10, choices=Channel.choices, verbose_name="kênh nộp")
    n = models.IntegerField(default=0, verbose_name="số cặp")

    class Meta:
        verbose_name = "cặp ngày lặp lại"
        verbose_name_plural = "cặp ngày lặp lại"
        constraints = [models.UniqueConstraint(
            fields=["kind", "first_day", "day", "unit", "handling_unit", "procedure", "channel"], name="uniq_rollup_repeat_key")]

    def __str__(self) -> str:
        return f"{self.kind} {self.first_day}→{self.day}: {self.n}"
