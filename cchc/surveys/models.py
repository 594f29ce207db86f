"""SIPAS surveys (khảo sát sự hài lòng) and the national indices a province tracks (chỉ số quốc gia)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from cchc.core.textfold import fold

from .sipas import DEFAULT_RULE


class IndexKind(models.TextChoices):
    """Loại chỉ số quốc gia."""

    PAR_INDEX = "par_index", "Chỉ số CCHC (PAR INDEX)"
    SIPAS = "sipas", "Chỉ số hài lòng (SIPAS)"
    PAPI = "papi", "Chỉ số PAPI"
    PCI = "pci", "Chỉ số PCI"
    ICT = "ict", "Chỉ số ICT (Vietnam ICT Index)"


class EntityKind(models.TextChoices):
    """Loại đơn vị được xếp hạng."""

    PROVINCE = "province", "Tỉnh, thành phố"
    MINISTRY = "ministry", "Bộ, cơ quan ngang bộ"


class PublishedResult(models.Model):
    """Kết quả chỉ số đã công bố: one published figure (score and/or rank) for one entity and year.

    `component` is "" for the total index, otherwise the component code (PAR field 1..8, SIPAS
    aspect code). Two sources may publish different figures: each is its own row (natural key
    includes the source) and both are flagged.
    """

    index_kind = models.CharField(max_length=16, choices=IndexKind.choices, db_index=True, verbose_name="loại chỉ số")
    component = models.CharField(max_length=40, blank=True, default="", verbose_name="chỉ số thành phần")
    year = models.PositiveSmallIntegerField(db_index=True, verbose_name="năm")
    entity_kind = models.CharField(max_length=16, choices=EntityKind.choices, default=EntityKind.PROVINCE, verbose_name="loại đối tượng")
    entity_name = models.CharField(max_length=200, help_text="Tên đơn vị như nguồn ghi", verbose_name="tên đối tượng")
    entity_key = models.CharField(max_length=200, editable=False, verbose_name="khóa đối tượng")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, verbose_name="điểm")
    score_unit = models.CharField(max_length=10, default="%", blank=True, verbose_name="đơn vị điểm")
    rank = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="hạng")
    rank_of = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="trên tổng số")
    rank_reliability = models.CharField(max_length=120, blank=True, help_text="Kiểu thứ hạng theo nguồn", verbose_name="độ tin cậy của hạng")
    regional_rank = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="hạng trong vùng")
    group = models.CharField(max_length=4, blank=True, verbose_name="nhóm")
    previous_score_stated = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, verbose_name="điểm năm trước công bố")
    change_stated = models.CharField(max_length=16, blank=True, verbose_name="mức thay đổi công bố")
    rank_change_stated = models.CharField(max_length=16, blank=True, verbose_name="thay đổi hạng công bố")
    source_name = models.CharField(max_length=255, blank=True, verbose_name="tên nguồn")
    source_url = models.TextField(blank=True, verbose_name="đường dẫn nguồn")
    source_key = models.CharField(max_length=255, editable=False, verbose_name="khóa nguồn")
    note = models.TextField(blank=True, verbose_name="ghi chú")
    flagged = models.BooleanField(default=False, db_index=True, verbose_name="cần xem lại")
    flags = models.JSONField(default=list, blank=True, verbose_name="cảnh báo dữ liệu")
    imported_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm nhập")

    class Meta:
        verbose_name = "kết quả chỉ số quốc gia"
        verbose_name_plural = "kết quả chỉ số quốc gia"
        ordering = ["index_kind", "component", "-year", "rank", "entity_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_kind", "component", "year", "entity_key", "source_key"], name="published_result_natural_key"
            )
        ]
        indexes = [models.Index(fields=["unit", "index_kind", "year"])]

    def __str__(self) -> str:
        return f"{self.get_index_kind_display()} {self.year} {self.entity_name}: {self.score}"

    def save(self, *args, **kwargs):
        self.entity_key = fold(self.entity_name)[:200]
        super().save(*args, **kwargs)

    @property
    def source_urls(self) -> list[str]:
        return [u.strip() for u in self.source_url.split(";") if u.strip()]


class PublishedAggregate(models.Model):
    """Số liệu tổng hợp đã công bố: national/regional average, range or count for one index and year."""

    index_kind = models.CharField(max_length=16, choices=IndexKind.choices, db_index=True, verbose_name="loại chỉ số")
    year = models.PositiveSmallIntegerField(db_index=True, verbose_name="năm")
    scope = models.CharField(max_length=200, help_text="Phạm vi: cả nước, 63 tỉnh, vùng ...", verbose_name="phạm vi")
    measure = models.CharField(max_length=200, help_text="Chỉ tiêu: trung bình, cao nhất ...", verbose_name="số đo")
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, verbose_name="giá trị")
    change_stated = models.CharField(max_length=16, blank=True, verbose_name="mức thay đổi công bố")
    previous_value_stated = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, verbose_name="giá trị năm trước công bố")
    source_url = models.TextField(blank=True, verbose_name="đường dẫn nguồn")
    source_key = models.CharField(max_length=255, editable=False, verbose_name="khóa nguồn")
    key = models.CharField(max_length=420, editable=False, verbose_name="khóa")
    note = models.TextField(blank=True, verbose_name="ghi chú")
    flagged = models.BooleanField(default=False, verbose_name="cần xem lại")
    flags = models.JSONField(default=list, blank=True, verbose_name="cảnh báo dữ liệu")

    class Meta:
        verbose_name = "số liệu tổng hợp chỉ số"
        verbose_name_plural = "số liệu tổng hợp chỉ số"
        ordering = ["index_kind", "-year", "scope", "measure"]
        constraints = [models.UniqueConstraint(fields=["index_kind", "year", "key", "source_key"], name="published_aggregate_key")]

    def __str__(self) -> str:
        return f"{self.index_kind} {self.year} {self.scope} {self.measure}: {self.value}"

    def save(self, *args, **kwargs):
        self.key = (fold(self.scope)[:200] + "|" + fold(self.measure)[:200])
        super().save(*args, **kwargs)


def default_rule() -> dict:
    return DEFAULT_RULE.as_dict()


class Questionnaire(models.Model):
    """Bộ phiếu khảo sát SIPAS: one versioned questionnaire with its scoring rule."""

    code = models.CharField(max_length=40, verbose_name="mã")
    version = models.PositiveSmallIntegerField(default=1, verbose_name="phiên bản")
    title = models.CharField(max_length=255, verbose_name="tên bộ câu hỏi")
    methodology = models.CharField(max_length=255, blank=True, help_text="Văn bản phương pháp, ví dụ 1001/QĐ-BNV", verbose_name="phương pháp")
    effective_from = models.DateField(null=True, blank=True, verbose_name="hiệu lực từ")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")
    scoring_rule = models.JSONField(default=default_rule, help_text="Quy tắc tính chỉ số (chưa xác nhận chính thức)", verbose_name="quy tắc tính điểm")
    description = models.TextField(blank=True, verbose_name="mô tả")

    class Meta:
        verbose_name = "bộ câu hỏi"
        verbose_name_plural = "bộ câu hỏi"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")]

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"


class Aspect(models.Model):
    """Yếu tố: one of the five SIPAS aspects of a questionnaire version."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="aspects", verbose_name="bộ câu hỏi")
    code = models.CharField(max_length=40, verbose_name="mã")
    order = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    title = models.CharField(max_length=255, verbose_name="tên khía cạnh")

    class Meta:
        verbose_name = "khía cạnh"
        verbose_name_plural = "khía cạnh"
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="aspect_code_unique")]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    """Loại câu hỏi."""

    ASSESSMENT = "assessment", "Nhận định (thang 5 mức)"
    SATISFACTION = "satisfaction", "Mức độ hài lòng (thang 5 mức)"


class Question(models.Model):
    """Câu hỏi: a 5-point Likert question belonging to one aspect."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions", verbose_name="bộ câu hỏi")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="questions", verbose_name="khía cạnh")
    code = models.CharField(max_length=40, verbose_name="mã")
    order = models.PositiveSmallIntegerField(verbose_name="thứ tự")
    text = models.CharField(max_length=500, verbose_name="nội dung")
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.SATISFACTION, verbose_name="loại câu hỏi")

    class Meta:
        verbose_name = "câu hỏi"
        verbose_name_plural = "câu hỏi"
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class SurveyStatus(models.TextChoices):
    """Trạng thái đợt khảo sát."""

    DRAFT = "draft", "Dự thảo"
    OPEN = "open", "Đang thu phiếu"
    CLOSED = "closed", "Đã kết thúc"


class Survey(models.Model):
    """Đợt khảo sát: one survey round of a questionnaire for a period and a set of units."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys", verbose_name="bộ câu hỏi")
    title = models.CharField(max_length=255, verbose_name="tên cuộc khảo sát")
    year = models.PositiveSmallIntegerField(verbose_name="năm")
    period_start = models.DateField(verbose_name="từ ngày")
    period_end = models.DateField(verbose_name="đến ngày")
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN, verbose_name="trạng thái")
    province = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    include_dossier_ratings = models.BooleanField(default=True, help_text="Gộp đánh giá sau khi trả kết quả hồ sơ", verbose_name="gồm đánh giá hồ sơ")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "cuộc khảo sát"
        verbose_name_plural = "cuộc khảo sát"
        ordering = ["-year", "-period_end", "title"]

    def __str__(self) -> str:
        return self.title


class SurveyUnit(models.Model):
    """Thiết kế mẫu cho một đơn vị: population N (hồ sơ đã giải quyết), margin e and sample size n."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="samples", verbose_name="cuộc khảo sát")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    population = models.PositiveIntegerField(null=True, blank=True, verbose_name="quy mô tổng thể")
    population_source = models.CharField(max_length=20, blank=True, help_text="dossiers | manual", verbose_name="nguồn quy mô tổng thể")
    margin = models.DecimalField(max_digits=4, decimal_places=3, default=0.05, verbose_name="sai số")
    sample_size = models.PositiveIntegerField(null=True, blank=True, verbose_name="cỡ mẫu")

    class Meta:
        verbose_name = "đơn vị khảo sát"
        verbose_name_plural = "đơn vị khảo sát"
        ordering = ["survey", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="survey_unit_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.unit_id}: N={self.population} n={self.sample_size}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """Đường dẫn khảo sát dùng một lần: a one-time link for an online answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name="cuộc khảo sát")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    token = models.CharField(max_length=64, unique=True, default=new_token, verbose_name="mã mời")
    dossier_code = models.CharField(max_length=60, blank=True, verbose_name="mã hồ sơ")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")
    used_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm sử dụng")

    class Meta:
        verbose_name = "lời mời khảo sát"
        verbose_name_plural = "lời mời khảo sát"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Đường dẫn khảo sát {self.pk} ({'đã dùng' if self.used_at else 'chưa dùng'})"


class Channel(models.TextChoices):
    """Kênh thu phiếu."""

    PAPER = "paper", "Phiếu giấy (cán bộ nhập)"
    ONLINE = "online", "Trực tuyến (đường dẫn một lần)"


class Response(models.Model):
    """Phiếu trả lời: one respondent's answers for one unit in one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name="cuộc khảo sát")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    channel = models.CharField(max_length=10, choices=Channel.choices, verbose_name="kênh trả lời")
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response", verbose_name="lời mời")
    paper_number = models.CharField(max_length=40, blank=True, help_text="Số phiếu giấy", verbose_name="số phiếu giấy")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người nhập")
    comment = models.TextField(blank=True, verbose_name="ý kiến")
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm nộp")

    class Meta:
        verbose_name = "phiếu khảo sát"
        verbose_name_plural = "phiếu khảo sát"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "paper_number"], condition=~models.Q(paper_number=""), name="paper_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Phiếu {self.pk} ({self.get_channel_display()})"


class Answer(models.Model):
    """Câu trả lời: the Likert level (1..5) given to one question; null = không có ý kiến."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name="phiếu trả lời")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name="câu hỏi")
    value = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="câu trả lời")

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_unique")]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"


def fold_key(text: str) -> str:
    return fold(text)[:255]
