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


class PauseKind(models.TextChoices):
    """Loại tạm dừng tính thời hạn."""

    SUPPLEMENT = "supplement", "Yêu cầu bổ sung, hoàn thiện hồ sơ"
    LEGAL = "legal", "Tạm dừng theo quy định (nghĩa vụ tài chính, xác minh...)"


class RequiredDocument(models.Model):
    """Thành phần hồ sơ: one line of a procedure's checklist (editable by the PAR office)."""

    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.CASCADE, related_name="required_documents")
    name = models.CharField(max_length=500)
    original_copies = models.PositiveSmallIntegerField(default=1, help_text="Số bản chính")
    photocopies = models.PositiveSmallIntegerField(default=0, help_text="Số bản sao")
    mandatory = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class DossierCounter(models.Model):
    """Bộ đếm số thứ tự hồ sơ trong ngày, per agency identifier (locked with select_for_update)."""

    agency_id = models.CharField(max_length=40)
    day = models.DateField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
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

    code = models.CharField(max_length=60, unique=True, help_text="Mã hồ sơ")
    lookup_token = models.CharField(max_length=16, help_text="Mã tra cứu bí mật in trên giấy tiếp nhận")
    status = models.CharField(max_length=32, choices=workflow.STATUS_CHOICES, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text="Khoá lạc quan: tăng mỗi lần thay đổi")

    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="dossiers")
    province_procedure = models.ForeignKey(
        "catalog.ProvinceProcedure", on_delete=models.PROTECT, related_name="dossiers",
        help_text="Phiên bản công bố áp dụng khi tiếp nhận",
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossiers", help_text="Nơi tiếp nhận")
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_dossiers",
        help_text="Cơ quan đang giải quyết",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_dossiers",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, db_index=True)
    result_channel = models.CharField(max_length=10, choices=ResultChannel.choices, default=ResultChannel.COUNTER)

    applicant_kind = models.CharField(max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    applicant_name = models.CharField(max_length=255)
    applicant_id_number = models.CharField(max_length=20, blank=True, help_text="Số định danh / mã số doanh nghiệp")
    applicant_phone = models.CharField(max_length=20, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_address = models.CharField(max_length=500, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_dossiers",
    )

    submitted_at = models.DateTimeField(null=True, blank=True, help_text="Nộp trực tuyến (chờ tiếp nhận)")
    received_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Tiếp nhận")
    counted_from = models.DateTimeField(null=True, blank=True, help_text="Bắt đầu tính thời hạn")
    due_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Hạn trả kết quả")
    due_date = models.DateField(null=True, blank=True, help_text="Ngày hẹn trả (giờ địa phương)")
    original_due_at = models.DateTimeField(null=True, blank=True, help_text="Hạn tính lúc tiếp nhận, trước tạm dừng")
    promised_at = models.DateTimeField(null=True, blank=True, help_text="Ngày hẹn lại theo phiếu xin lỗi")
    time_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    time_unit = models.CharField(max_length=20, blank=True)
    calendar_stamp = models.CharField(max_length=80, blank=True, help_text="Phiên bản lịch làm việc đã tính hạn")
    settled_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Có kết quả giải quyết")
    settled_on = models.DateField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text="Đã trả kết quả")
    closed_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Ra khỏi khâu giải quyết (có kết quả, từ chối hoặc rút)",
    )
    paused_since = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    apology_count = models.PositiveSmallIntegerField(default=0)
    status_reason = models.TextField(blank=True, help_text="Lý do từ chối / rút / tạm dừng gần nhất")

    fee_amount = models.DecimalField(max_digits=14, decimal_places=0, default=0)
    payment_status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.NOT_REQUIRED)
    payment_reference = models.CharField(max_length=80, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    has_electronic_documents = models.BooleanField(default=False, help_text="Có ít nhất một thành phần điện tử (số hóa)")
    has_electronic_result = models.BooleanField(default=False, help_text="Có kết quả điện tử")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
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

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(RequiredDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=KIND_CHOICES, default=KIND_INPUT)
    name = models.CharField(max_length=500)
    is_electronic = models.BooleanField(default=False)
    file_path = models.CharField(max_length=300, blank=True, help_text="Đường dẫn tương đối trong MEDIA_ROOT")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ElectronicResult(models.Model):
    """Kết quả điện tử: a (signed) result file for a dossier, stored under MEDIA_ROOT."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="electronic_results")
    file_path = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(default=0)
    signed = models.BooleanField(default=False)
    signer = models.CharField(max_length=255, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.file_path}"


class DossierStep(models.Model):
    """Một dòng phiếu kiểm soát quá trình giải quyết hồ sơ: one hand-over and its own allowance.

    The step is held by `to_unit` / `to_user` from `sent_at` until `finished_at` (the next hand-over
    or the result). It is late when finished after its own `due_at`; lateness is attributed to the
    holder of the step.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveSmallIntegerField()
    from_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="dossier_steps")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="dossier_steps")
    task = models.CharField(max_length=255, blank=True, help_text="Nội dung công việc")
    note = models.TextField(blank=True)
    sent_at = models.DateTimeField()
    allowance_seconds = models.PositiveIntegerField(null=True, blank=True, help_text="Thời gian cho phép (giây làm việc)")
    due_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="uniq_dossier_step_seq")]
        indexes = [models.Index(fields=["to_unit", "on_time"]), models.Index(fields=["finished_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq}"


class DossierPause(models.Model):
    """Tạm dừng tính thời hạn (yêu cầu bổ sung hoặc lý do hợp pháp khác).

    When it ends, the dossier's due time moves by `working_seconds` (the working time it consumed).
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(max_length=12, choices=PauseKind.choices)
    reason = models.TextField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resume_state = models.CharField(max_length=32, help_text="Trạng thái trở lại khi hết tạm dừng")
    working_seconds = models.PositiveIntegerField(null=True, blank=True)
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.started_at}"


class ApologyLetter(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (issued before the due time)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issuing_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    due_at = models.DateTimeField(help_text="Hạn giải quyết lúc xin lỗi")
    new_due_at = models.DateTimeField(help_text="Ngày hẹn lại")

    class Meta:
        ordering = ["dossier", "issued_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at}"


class DossierRating(models.Model):
    """Đánh giá của người dân sau khi nhận kết quả (1–5), overall and per SIPAS aspect (optional)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    overall = models.PositiveSmallIntegerField()
    access = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Tiếp cận dịch vụ")
    procedure = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Thủ tục hành chính")
    officials = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Công chức giải quyết")
    result = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Kết quả cung ứng dịch vụ")
    feedback = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Tiếp nhận, giải quyết góp ý, PAKN")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    ASPECTS = ("access", "procedure", "officials", "result", "feedback")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for retries by the same user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    scope = models.CharField(max_length=60, default="dossier_create")
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="uniq_idempotency_user_scope_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"


class Notification(models.Model):
    """Hộp thư đi (outbox): a message queued in the transaction, sent later by `send_pending_notifications`."""

    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, help_text="due_today | overdue | step_late | ...")
    channel = models.CharField(max_length=20, default="email")
    recipient = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    dedup_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
