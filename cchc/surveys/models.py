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

    index_kind = models.CharField(max_length=16, choices=IndexKind.choices, db_index=True)
    component = models.CharField(max_length=40, blank=True, default="")
    year = models.PositiveSmallIntegerField(db_index=True)
    entity_kind = models.CharField(max_length=16, choices=EntityKind.choices, default=EntityKind.PROVINCE)
    entity_name = models.CharField(max_length=200, help_text="Tên đơn vị như nguồn ghi")
    entity_key = models.CharField(max_length=200, editable=False)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    score_unit = models.CharField(max_length=10, default="%", blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_of = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_reliability = models.CharField(max_length=120, blank=True, help_text="Kiểu thứ hạng theo nguồn")
    regional_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    group = models.CharField(max_length=4, blank=True)
    previous_score_stated = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    change_stated = models.CharField(max_length=16, blank=True)
    rank_change_stated = models.CharField(max_length=16, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    source_url = models.TextField(blank=True)
    source_key = models.CharField(max_length=255, editable=False)
    note = models.TextField(blank=True)
    flagged = models.BooleanField(default=False, db_index=True)
    flags = models.JSONField(default=list, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
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

    index_kind = models.CharField(max_length=16, choices=IndexKind.choices, db_index=True)
    year = models.PositiveSmallIntegerField(db_index=True)
    scope = models.CharField(max_length=200, help_text="Phạm vi: cả nước, 63 tỉnh, vùng ...")
    measure = models.CharField(max_length=200, help_text="Chỉ tiêu: trung bình, cao nhất ...")
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    change_stated = models.CharField(max_length=16, blank=True)
    previous_value_stated = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    source_url = models.TextField(blank=True)
    source_key = models.CharField(max_length=255, editable=False)
    key = models.CharField(max_length=420, editable=False)
    note = models.TextField(blank=True)
    flagged = models.BooleanField(default=False)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
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

    code = models.CharField(max_length=40)
    version = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=255)
    methodology = models.CharField(max_length=255, blank=True, help_text="Văn bản phương pháp, ví dụ 1001/QĐ-BNV")
    effective_from = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    scoring_rule = models.JSONField(default=default_rule, help_text="Quy tắc tính chỉ số (chưa xác nhận chính thức)")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_code_version")]

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"


class Aspect(models.Model):
    """Yếu tố: one of the five SIPAS aspects of a questionnaire version."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="aspects")
    code = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=255)

    class Meta:
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

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=40)
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=16, choices=QuestionKind.choices, default=QuestionKind.SATISFACTION)

    class Meta:
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

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.OPEN)
    province = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    include_dossier_ratings = models.BooleanField(default=True, help_text="Gộp đánh giá sau khi trả kết quả hồ sơ")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-period_end", "title"]

    def __str__(self) -> str:
        return self.title


class SurveyUnit(models.Model):
    """Thiết kế mẫu cho một đơn vị: population N (hồ sơ đã giải quyết), margin e and sample size n."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="samples")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=20, blank=True, help_text="dossiers | manual")
    margin = models.DecimalField(max_digits=4, decimal_places=3, default=0.05)
    sample_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="survey_unit_unique")]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.unit_id}: N={self.population} n={self.sample_size}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """Đường dẫn khảo sát dùng một lần: a one-time link for an online answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    dossier_code = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Đường dẫn khảo sát {self.pk} ({'đã dùng' if self.used_at else 'chưa dùng'})"


class Channel(models.TextChoices):
    """Kênh thu phiếu."""

    PAPER = "paper", "Phiếu giấy (cán bộ nhập)"
    ONLINE = "online", "Trực tuyến (đường dẫn một lần)"


class Response(models.Model):
    """Phiếu trả lời: one respondent's answers for one unit in one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="response")
    paper_number = models.CharField(max_length=40, blank=True, help_text="Số phiếu giấy")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_unique")]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"


def fold_key(text: str) -> str:
    return fold(text)[:255]
