"""Chỉ số CCHC: criteria sets (bộ tiêu chí), assessment cycles (kỳ đánh giá), assessments and results.

The pure scoring rules live in `cchc.indices.scoring`; writes go through `services.py`, reads through
`selectors.py`.
"""

from django.conf import settings
from django.db import models


class TargetGroup(models.TextChoices):
    """Đối tượng đánh giá của bộ tiêu chí."""

    PROVINCE = "province", "Tỉnh/thành phố (Chỉ số CCHC cấp tỉnh)"
    MINISTRY = "ministry", "Bộ, cơ quan ngang bộ"
    DEPARTMENT = "department", "Sở, ban, ngành"
    COMMUNE = "commune", "UBND xã, phường, đặc khu"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp công lập"


class ScoringMethod(models.TextChoices):
    """Phương pháp chấm điểm tiêu chí thành phần."""

    SELF_ASSESSED = "self_assessed", "Tự đánh giá và thẩm định"
    DATA_THRESHOLD = "data_threshold", "Tính từ số liệu (ngưỡng, tuyến tính dưới ngưỡng)"
    DATA_STEPS = "data_steps", "Tính từ số liệu (bậc thang)"
    SURVEY = "survey", "Điều tra xã hội học"


class CriteriaSet(models.Model):
    """Bộ tiêu chí: a versioned criteria tree for one year and one target group.

    `owner` is the province that owns a copy (None = national set or template shipped with the
    platform). `is_template` marks a ready internal-index template a province copies
    (`services.criteria_set_copy`). `confirmed` is False while maxima are not checked against the
    official annex.
    """

    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    target_group = models.CharField(max_length=32, choices=TargetGroup.choices)
    version = models.PositiveIntegerField(default=1)
    decision_no = models.CharField(max_length=120, blank=True, help_text="Văn bản ban hành, ví dụ 2948/QĐ-BNV")
    source_url = models.URLField(max_length=500, blank=True)
    owner = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="criteria_sets")
    is_template = models.BooleanField(default=False)
    confirmed = models.BooleanField(default=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")
    max_total = models.DecimalField(max_digits=8, decimal_places=2, default=0, help_text="Tổng điểm tối đa (tính lại khi lưu cây)")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Criterion(models.Model):
    """Lĩnh vực / tiêu chí / tiêu chí thành phần: one node of a criteria tree.

    level 0 = field (lĩnh vực), deeper levels = criteria and sub-criteria; a node without children is
    a leaf that is scored. `rule` holds the data-driven rule ({"type": "threshold_linear", "target":
    98, "metric": "on_time_rate"} or {"type": "steps", "steps": [[98, 1], [95, 0.5]], "metric": ...}).
    `effort` is the PAR office's effort tag for the path to a target (low/medium/high or a number).
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=40)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.PositiveSmallIntegerField(default=0)
    position = models.PositiveIntegerField(default=0)
    title = models.TextField()
    max_points = models.DecimalField(max_digits=7, decimal_places=2)
    is_leaf = models.BooleanField(default=True)
    method = models.CharField(max_length=20, choices=ScoringMethod.choices, default=ScoringMethod.SELF_ASSESSED)
    rule = models.JSONField(default=dict, blank=True)
    responsible = models.CharField(max_length=255, blank=True, help_text="Cơ quan chủ trì/phụ trách (theo tên)")
    responsible_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence_required = models.TextField(blank=True, help_text="Tài liệu kiểm chứng")
    effort = models.CharField(max_length=20, blank=True, help_text="Mức công sức: low/medium/high hoặc số")
    confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["criteria_set", "position"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="indices_criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CycleState(models.TextChoices):
    """Trạng thái kỳ đánh giá."""

    DRAFT = "draft", "Dự thảo"
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    APPRAISAL_1 = "appraisal_1", "Thẩm định lần 1"
    EXPLANATION = "explanation", "Giải trình"
    APPRAISAL_2 = "appraisal_2", "Thẩm định lần 2"
    PUBLISHED = "published", "Đã công bố"


class AssessmentCycle(models.Model):
    """Kỳ đánh giá: one year's assessment of a set of units against a criteria set.

    `organiser` is the unit running it (the province, for its internal index); `previous` the cycle of
    the previous year for year-on-year changes. Published cycles are frozen: results are stored as
    JSON snapshot rows (`CycleResult`) and services refuse writes with ConflictError.
    """

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="cycles")
    organiser = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="index_cycles")
    year = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    state = models.CharField(max_length=20, choices=CycleState.choices, default=CycleState.DRAFT, db_index=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles")
    units = models.ManyToManyField("units.Unit", through="CycleUnit", related_name="assessed_in_cycles")
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.state == CycleState.PUBLISHED


class CycleUnit(models.Model):
    """Đơn vị được đánh giá trong kỳ (with the group it is ranked in, e.g. 'department', 'commune')."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=40, blank=True, help_text="Nhóm xếp hạng (mặc định: loại đơn vị)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="indices_cycleunit_unique")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}"


class PointSource(models.TextChoices):
    """Nguồn điểm tự đánh giá."""

    SELF = "self", "Đơn vị tự chấm"
    DATA = "data", "Tính từ số liệu"
    SURVEY = "survey", "Điều tra xã hội học"
    IMPORT = "import", "Nhập từ tệp"


class Assessment(models.Model):
    """Điểm một tiêu chí thành phần của một đơn vị trong kỳ: self, first- and second-round appraisal.

    The index uses `final_points` = second-round ?? first-round ?? self-assessed points.
    """

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="assessments")
    self_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    self_explanation = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=PointSource.choices, default=PointSource.SELF)
    data_value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True, help_text="Số liệu dùng để tính điểm")
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    self_at = models.DateTimeField(null=True, blank=True)
    appraisal1_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    appraisal1_reason = models.TextField(blank=True)
    appraisal1_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    appraisal1_at = models.DateTimeField(null=True, blank=True)
    explanation = models.TextField(blank=True, help_text="Giải trình của đơn vị sau thẩm định lần 1")
    explained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    explained_at = models.DateTimeField(null=True, blank=True)
    appraisal2_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    appraisal2_reason = models.TextField(blank=True)
    appraisal2_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    appraisal2_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "unit", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit", "criterion"], name="indices_assessment_unique")]
        indexes = [models.Index(fields=["cycle", "unit"])]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}/{self.criterion_id}"

    @property
    def final_points(self):
        for value in (self.appraisal2_points, self.appraisal1_points, self.self_points):
            if value is not None:
                return value
        return None


class Evidence(models.Model):
    """Tài liệu kiểm chứng: an uploaded file or a reference to a document (number and date)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=255)
    document_number = models.CharField(max_length=120, blank=True, help_text="Số, ký hiệu văn bản")
    document_date = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="indices/evidence/%Y/", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class CriterionDatum(models.Model):
    """Số liệu nhập cho tiêu chí tính từ dữ liệu (e.g. on-time rate 97.5 %) for one unit in a cycle."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="data")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=12, decimal_places=4)
    source = models.CharField(max_length=120, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "unit", "metric"], name="indices_datum_unique")]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class CycleResult(models.Model):
    """Kết quả công bố: the frozen snapshot of one unit's result when its cycle was published.

    `data` holds the full computed result (fields, ranks, lost points, self/appraisal totals, previous
    year) so later edits to criteria or assessments never change a published index.
    """

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=40, blank=True)
    total = models.DecimalField(max_digits=8, decimal_places=2)
    max_points = models.DecimalField(max_digits=8, decimal_places=2)
    index_pct = models.DecimalField(max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "group", "rank"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="indices_result_unique")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}: {self.index_pct}"
