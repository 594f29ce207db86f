"""Procedure catalogue (danh mục thủ tục hành chính) and what each province publishes of it."""

import re

from django.conf import settings
from django.db import models

from cchc.core.numbers import format_points
from cchc.core.textfold import fold

_WORD = re.compile(r"[0-9a-z]+")


def words_of(text: str) -> list[str]:
    """Folded words of a text: runs of ASCII letters and digits after folding (the search tokenisation)."""
    return _WORD.findall(fold(text))


class TimeUnit(models.TextChoices):
    """Đơn vị thời hạn giải quyết."""

    WORKING_DAYS = "working_days", "Ngày làm việc"
    CALENDAR_DAYS = "calendar_days", "Ngày"
    WORKING_HOURS = "working_hours", "Giờ làm việc"
    SAME_DAY = "same_day", "Trong ngày"
    MONTHS = "months", "Tháng"
    UNKNOWN = "unknown", "Không rõ"


class OnlineLevel(models.TextChoices):
    """Mức độ dịch vụ công trực tuyến."""

    NONE = "none", "Không trực tuyến"
    PARTIAL = "partial", "Một phần"
    FULL = "full", "Toàn trình"


class Procedure(models.Model):
    """Thủ tục hành chính: one procedure of the national catalogue (mã thủ tục, e.g. 1.001193)."""

    code = models.CharField(max_length=40, unique=True, verbose_name="mã thủ tục")
    name = models.TextField(verbose_name="tên thủ tục")
    name_folded = models.TextField(editable=False, db_index=False, verbose_name="tên không dấu")
    field = models.CharField(max_length=255, blank=True, help_text="Lĩnh vực", verbose_name="lĩnh vực")
    levels = models.CharField(max_length=255, blank=True, help_text="Cấp thực hiện", verbose_name="cấp thực hiện")
    issuing_agency = models.CharField(max_length=255, blank=True, help_text="Cơ quan ban hành", verbose_name="cơ quan ban hành")
    implementing_agency = models.TextField(blank=True, help_text="Cơ quan thực hiện", verbose_name="cơ quan thực hiện")
    decision_no = models.CharField(max_length=255, blank=True, help_text="Quyết định công bố", verbose_name="số quyết định")
    channels = models.CharField(max_length=120, blank=True, help_text="trực tiếp; bưu chính; trực tuyến", verbose_name="kênh thực hiện")
    has_online_channel = models.BooleanField(default=False, verbose_name="có dịch vụ công trực tuyến")
    fee_text = models.TextField(blank=True, help_text="Phí, lệ phí", verbose_name="phí, lệ phí")
    time_raw = models.TextField(blank=True, help_text="Thời hạn giải quyết, nguyên văn", verbose_name="thời hạn (nguyên văn)")
    time_value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, verbose_name="thời hạn giải quyết")
    time_unit = models.CharField(max_length=20, choices=TimeUnit.choices, default=TimeUnit.UNKNOWN, verbose_name="đơn vị thời hạn")
    time_ambiguous = models.BooleanField(default=False, help_text="Thời hạn cần xác minh (số không đơn vị, 'Ngày')", verbose_name="thời hạn chưa rõ")
    data_note = models.TextField(blank=True, help_text="Ghi chú chất lượng dữ liệu", verbose_name="ghi chú dữ liệu")
    source_url = models.URLField(max_length=500, blank=True, verbose_name="đường dẫn nguồn")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")
    kind = models.CharField(max_length=120, blank=True, help_text="Loại thủ tục", verbose_name="loại thủ tục")
    detail_url = models.URLField(max_length=500, blank=True, help_text="Trang chi tiết trên Cổng DVCQG", verbose_name="đường dẫn chi tiết")
    search_text = models.TextField(
        blank=True, editable=False,
        help_text="Tên đã gấp, các từ cách nhau một dấu cách và có dấu cách đầu (tìm theo tiền tố từ)",
        verbose_name="văn bản tìm kiếm",
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code"]
        # covering index: the search index signature counts active procedures on every search
        indexes = [models.Index(fields=["is_active"], name="catalog_procedure_active")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.fill_search_fields()
        super().save(*args, **kwargs)

    def fill_search_fields(self) -> None:
        """Set name_folded and search_text from name (bulk writers call this before bulk_create/update)."""
        self.name_folded = fold(self.name)
        self.search_text = search_text_for(self.name)

    @property
    def time_display(self) -> str:
        """Thời hạn as shown to people: every channel's value, with a note when the unit is missing."""
        if not self.time_raw:
            return "Không có thông tin"
        text = " / ".join(part.strip() for part in self.time_raw.split("|") if part.strip())
        if self.time_unit == TimeUnit.UNKNOWN and self.time_value is not None:
            text += " (không ghi đơn vị)"
        return text

    @property
    def level_list(self) -> list[str]:
        return [part.strip() for part in self.levels.split(",") if part.strip()]

    @property
    def channel_list(self) -> list[str]:
        return [part.strip() for part in self.channels.split(";") if part.strip()]


def search_text_for(name: str) -> str:
    """" dang ky khai sinh ": folded words (letters and digits) joined by one space, framed by spaces.

    A word prefix `tok` then matches exactly when `search_text LIKE '% tok%'` and a whole word when
    `LIKE '% tok %'` (PostgreSQL, trigram index), the same rows as the FTS5 queries `"tok"*` and `"tok"`
    (SQLite; the unicode61 tokenizer splits on the same characters).
    """
    return " " + " ".join(words_of(name)) + " "


class ProvinceProcedure(models.Model):
    """TTHC áp dụng tại tỉnh: a procedure a province applies, where, how fast and how online.

    One row per (province, procedure, effective_from): a later decision adds a new row; a dossier
    keeps the row that applied on its receipt date.
    """

    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="published_procedures", verbose_name="tỉnh")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="publications", verbose_name="thủ tục")
    desk = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="desk_procedures",
        help_text="Nơi tiếp nhận",
        verbose_name="bộ phận một cửa tiếp nhận",
    )
    handling_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="handled_procedures",
        help_text="Cơ quan giải quyết",
        verbose_name="đơn vị giải quyết",
    )
    level = models.CharField(max_length=20, blank=True, help_text="province | commune", verbose_name="cấp thực hiện")
    time_value = models.DecimalField(max_digits=8, decimal_places=2, verbose_name="thời hạn giải quyết")
    time_unit = models.CharField(max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS, verbose_name="đơn vị thời hạn")
    online_level = models.CharField(max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE, verbose_name="mức dịch vụ trực tuyến")
    accepts_post = models.BooleanField(default=True, verbose_name="nhận qua bưu chính")
    fee_amount = models.DecimalField(max_digits=14, decimal_places=0, default=0, verbose_name="lệ phí (đồng)")
    decision_no = models.CharField(max_length=120, blank=True, verbose_name="số quyết định")
    effective_from = models.DateField(verbose_name="hiệu lực từ")
    effective_to = models.DateField(null=True, blank=True, verbose_name="hiệu lực đến")

    class Meta:
        verbose_name = "thủ tục áp dụng tại tỉnh"
        verbose_name_plural = "thủ tục áp dụng tại tỉnh"
        ordering = ["procedure__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "procedure", "level", "effective_from"], name="uniq_province_procedure_version")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.province.code} ({self.effective_from})"

    @property
    def time_label(self) -> str:
        """Thời hạn giải quyết as a person reads it: "1,5 ngày làm việc", "Trong ngày" (never "0 trong ngày")."""
        if self.time_unit == TimeUnit.SAME_DAY:
            return TimeUnit.SAME_DAY.label
        if self.time_value is None:
            return "—"
        number = format_points(self.time_value)
        return f"{number} {self.get_time_unit_display().lower()}"


class EventKind(models.TextChoices):
    """Loại sự kiện của thủ tục (theo quyết định công bố)."""

    NEW = "new", "Ban hành mới"
    AMENDED = "amended", "Sửa đổi, bổ sung"
    ABOLISHED = "abolished", "Bãi bỏ"
    SIMPLIFIED = "simplified", "Đơn giản hóa"
    TIME_CUT = "time_cut", "Cắt giảm thời gian giải quyết"


class ProcedureEvent(models.Model):
    """Sự kiện của thủ tục: issued, amended, abolished, simplified or time cut, by a decision on a date.

    `province` is the province whose decision (quyết định công bố) it is; null means a national event
    (a ministry's decision). The simplification report of a province counts that province's events.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="events", verbose_name="thủ tục")
    province = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="procedure_events",
        verbose_name="tỉnh",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices, db_index=True, verbose_name="loại sự kiện")
    decision_no = models.CharField(max_length=120, blank=True, help_text="Số quyết định", verbose_name="số quyết định")
    decision_date = models.DateField(db_index=True, help_text="Ngày quyết định", verbose_name="ngày quyết định")
    time_before = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, verbose_name="thời hạn trước")
    time_after = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, verbose_name="thời hạn sau")
    note = models.TextField(blank=True, verbose_name="ghi chú")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "sự kiện công bố thủ tục"
        verbose_name_plural = "sự kiện công bố thủ tục"
        ordering = ["decision_date", "id"]
        indexes = [models.Index(fields=["province", "decision_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "province", "kind", "decision_no", "decision_date"], name="uniq_procedure_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.get_kind_display()} ({self.decision_no} {self.decision_date})"


class SearchSynonym(models.Model):
    """Từ đồng nghĩa khi tra cứu: an everyday name people type and what it means in procedure names.

    `expansion` may hold several alternatives separated by ";" ("căn cước công dân; căn cước").
    """

    term = models.CharField(max_length=120, unique=True, help_text="Cách gọi thông dụng, ví dụ: bằng lái", verbose_name="từ khóa")
    term_folded = models.CharField(max_length=120, editable=False, db_index=True, verbose_name="từ khóa không dấu")
    expansion = models.CharField(max_length=500, help_text="Tên trong danh mục; nhiều cách viết cách nhau bởi ';'", verbose_name="mở rộng thành")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")
    updated_at = models.DateTimeField(auto_now=True, db_index=True, verbose_name="thời điểm cập nhật")

    class Meta:
        ordering = ["term"]
        verbose_name = "từ đồng nghĩa"
        verbose_name_plural = "từ đồng nghĩa khi tra cứu"

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"

    def save(self, *args, **kwargs):
        self.term_folded = " ".join(words_of(self.term))
        super().save(*args, **kwargs)

    @property
    def alternatives(self) -> list[str]:
        return [part.strip() for part in self.expansion.split(";") if part.strip()]


class DocumentKind(models.TextChoices):
    """Loại giấy tờ trong thành phần hồ sơ: phải nộp / phải xuất trình."""

    SUBMIT = "submit", "Giấy tờ phải nộp"
    PRESENT = "present", "Giấy tờ phải xuất trình"


class Checklist(models.Model):
    """Thành phần hồ sơ, one version: the documents a procedure asks for, from `effective_from`.

    Versions are only appended (`version` 1, 2, …): editing a checklist creates a new version with new
    item rows; the rows of older versions never change, so a dossier keeps the rows it was received
    against (`Dossier.checklist`, `DossierDocument.required_document`). The checklist is national (one
    line of versions per procedure), like the procedure itself; provinces publish the procedure as is.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="checklists", verbose_name="thủ tục")
    version = models.PositiveIntegerField(verbose_name="phiên bản")
    effective_from = models.DateField(help_text="Áp dụng từ ngày", verbose_name="áp dụng từ ngày")
    decision_no = models.CharField(max_length=120, blank=True, help_text="Văn bản quy định (nếu có)", verbose_name="văn bản quy định")
    source = models.CharField(max_length=500, blank=True, help_text="Nguồn: dữ liệu danh mục, người sửa...", verbose_name="nguồn")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name="người lưu",
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm lưu")

    class Meta:
        verbose_name = "phiên bản thành phần hồ sơ"
        verbose_name_plural = "phiên bản thành phần hồ sơ"
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="uniq_checklist_version"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} thành phần hồ sơ v{self.version} ({self.effective_from})"


class ChecklistItem(models.Model):
    """Một thành phần hồ sơ of one checklist version. Immutable: a change is a new checklist version."""

    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="items", verbose_name="phiên bản")
    order = models.PositiveSmallIntegerField(default=0, verbose_name="thứ tự")
    name = models.CharField(max_length=500, verbose_name="tên giấy tờ")
    kind = models.CharField(max_length=10, choices=DocumentKind.choices, default=DocumentKind.SUBMIT, verbose_name="loại")
    original_copies = models.PositiveSmallIntegerField(default=1, help_text="Số bản chính", verbose_name="số bản chính")
    photocopies = models.PositiveSmallIntegerField(default=0, help_text="Số bản sao", verbose_name="số bản sao")
    mandatory = models.BooleanField(default=True, help_text="Bắt buộc (không bắt buộc: chỉ nộp trong trường hợp nêu)", verbose_name="bắt buộc")
    form_name = models.CharField(max_length=255, blank=True, help_text="Mẫu đơn, tờ khai", verbose_name="mẫu đơn, tờ khai")
    note = models.TextField(blank=True, help_text="Ghi chú: trường hợp áp dụng, giấy tờ thay thế", verbose_name="ghi chú")

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["checklist", "order", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("ChecklistItem is immutable: save a new checklist version instead")
        super().save(*args, **kwargs)

    @property
    def copies_text(self) -> str:
        """'1 bản chính', '1 bản chính, 2 bản sao', 'xuất trình bản chính'."""
        if self.kind == DocumentKind.PRESENT:
            return "Xuất trình bản chính"
        parts = []
        if self.original_copies:
            parts.append(f"{self.original_copies} bản chính")
        if self.photocopies:
            parts.append(f"{self.photocopies} bản sao")
        return ", ".join(parts) or "Không quy định số lượng"
