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

    code = models.CharField(max_length=80, unique=True, verbose_name="mã")
    name = models.CharField(max_length=255, verbose_name="tên bộ tiêu chí")
    year = models.PositiveSmallIntegerField(verbose_name="năm")
    target_group = models.CharField(max_length=32, choices=TargetGroup.choices, verbose_name="đối tượng đánh giá")
    version = models.PositiveIntegerField(default=1, verbose_name="phiên bản")
    decision_no = models.CharField(max_length=120, blank=True, help_text="Văn bản ban hành, ví dụ 2948/QĐ-BNV", verbose_name="số quyết định")
    source_url = models.URLField(max_length=500, blank=True, verbose_name="đường dẫn nguồn")
    owner = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="criteria_sets", verbose_name="đơn vị sở hữu")
    is_template = models.BooleanField(default=False, verbose_name="là mẫu")
    confirmed = models.BooleanField(default=True, verbose_name="đã xác nhận")
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies", verbose_name="sao chép từ")
    max_total = models.DecimalField(max_digits=8, decimal_places=2, default=0, help_text="Tổng điểm tối đa (tính lại khi lưu cây)", verbose_name="tổng điểm tối đa")
    notes = models.TextField(blank=True, verbose_name="ghi chú")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
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

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name="bộ tiêu chí")
    code = models.CharField(max_length=40, verbose_name="mã")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name="tiêu chí cha")
    level = models.PositiveSmallIntegerField(default=0, verbose_name="cấp trong cây")
    position = models.PositiveIntegerField(default=0, verbose_name="thứ tự")
    title = models.TextField(verbose_name="nội dung")
    max_points = models.DecimalField(max_digits=7, decimal_places=2, verbose_name="điểm tối đa")
    is_leaf = models.BooleanField(default=True, verbose_name="tiêu chí thành phần")
    method = models.CharField(max_length=20, choices=ScoringMethod.choices, default=ScoringMethod.SELF_ASSESSED, verbose_name="phương pháp chấm")
    rule = models.JSONField(default=dict, blank=True, verbose_name="quy tắc tính điểm")
    responsible = models.CharField(max_length=255, blank=True, help_text="Cơ quan chủ trì/phụ trách (theo tên)", verbose_name="cơ quan phụ trách (tên)")
    responsible_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="đơn vị phụ trách")
    evidence_required = models.TextField(blank=True, help_text="Tài liệu kiểm chứng", verbose_name="tài liệu kiểm chứng")
    effort = models.CharField(max_length=20, blank=True, help_text="Mức công sức: low/medium/high hoặc số", verbose_name="mức công sức")
    confirmed = models.BooleanField(default=True, verbose_name="đã xác nhận")

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
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

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="cycles", verbose_name="bộ tiêu chí")
    organiser = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="index_cycles", verbose_name="đơn vị tổ chức")
    year = models.PositiveSmallIntegerField(verbose_name="năm")
    name = models.CharField(max_length=255, verbose_name="tên kỳ đánh giá")
    state = models.CharField(max_length=20, choices=CycleState.choices, default=CycleState.DRAFT, db_index=True, verbose_name="trạng thái")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles", verbose_name="kỳ năm trước")
    units = models.ManyToManyField("units.Unit", through="CycleUnit", related_name="assessed_in_cycles", verbose_name="đơn vị được đánh giá")
    version = models.PositiveIntegerField(default=1, verbose_name="phiên bản")
    published_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm công bố")
    # hạn của từng bước, do cơ quan thường trực CCHC đặt khi mở kỳ (shown on the pages; optional)
    self_assessment_due = models.DateField(null=True, blank=True, verbose_name="hạn nộp tự đánh giá")
    explanation_due = models.DateField(null=True, blank=True, verbose_name="hạn giải trình")
    publication_due = models.DateField(null=True, blank=True, verbose_name="hạn công bố kết quả")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tạo")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.state == CycleState.PUBLISHED


class CycleUnit(models.Model):
    """Đơn vị được đánh giá trong kỳ (with the group it is ranked in, e.g. 'department', 'commune')."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="participants", verbose_name="kỳ đánh giá")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    group = models.CharField(max_length=40, blank=True, help_text="Nhóm xếp hạng (mặc định: loại đơn vị)", verbose_name="nhóm xếp hạng")

    class Meta:
        verbose_name = "đơn vị tham gia kỳ"
        verbose_name_plural = "đơn vị tham gia kỳ"
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

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="assessments", verbose_name="kỳ đánh giá")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="assessments", verbose_name="tiêu chí")
    self_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True, verbose_name="điểm tự đánh giá")
    self_explanation = models.TextField(blank=True, verbose_name="thuyết minh tự đánh giá")
    source = models.CharField(max_length=10, choices=PointSource.choices, default=PointSource.SELF, verbose_name="nguồn điểm")
    data_value = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True, help_text="Số liệu dùng để tính điểm", verbose_name="số liệu")
    self_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người tự đánh giá")
    self_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm tự đánh giá")
    appraisal1_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True, verbose_name="điểm thẩm định lần 1")
    appraisal1_reason = models.TextField(blank=True, verbose_name="lý do điều chỉnh lần 1")
    appraisal1_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người thẩm định lần 1")
    appraisal1_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm thẩm định lần 1")
    explanation = models.TextField(blank=True, help_text="Giải trình của đơn vị sau thẩm định lần 1", verbose_name="giải trình")
    explained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người giải trình")
    explained_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm giải trình")
    appraisal2_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True, verbose_name="điểm thẩm định lần 2")
    appraisal2_reason = models.TextField(blank=True, verbose_name="lý do điều chỉnh lần 2")
    appraisal2_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người thẩm định lần 2")
    appraisal2_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm thẩm định lần 2")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
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

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence", verbose_name="điểm đánh giá")
    title = models.CharField(max_length=255, verbose_name="tên tài liệu")
    document_number = models.CharField(max_length=120, blank=True, help_text="Số, ký hiệu văn bản", verbose_name="số, ký hiệu văn bản")
    document_date = models.DateField(null=True, blank=True, verbose_name="ngày văn bản")
    url = models.URLField(max_length=500, blank=True, verbose_name="đường dẫn")
    file = models.FileField(upload_to="indices/evidence/%Y/", null=True, blank=True, verbose_name="tệp")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người thêm")
    added_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm thêm")

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"

    def __str__(self) -> str:
        return self.title


class CriterionDatum(models.Model):
    """Số liệu nhập cho tiêu chí tính từ dữ liệu (e.g. on-time rate 97.5 %) for one unit in a cycle."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="data", verbose_name="kỳ đánh giá")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    metric = models.CharField(max_length=60, verbose_name="mã số liệu")
    value = models.DecimalField(max_digits=12, decimal_places=4, verbose_name="giá trị")
    source = models.CharField(max_length=120, blank=True, verbose_name="nguồn số liệu")
    imported_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm nhập")

    class Meta:
        verbose_name = "số liệu tiêu chí"
        verbose_name_plural = "số liệu tiêu chí"
        constraints = [models.UniqueConstraint(fields=["cycle", "unit", "metric"], name="indices_datum_unique")]

    def __str__(self) -> str:
        return f"{self.metric}={self.value}"


class CycleResult(models.Model):
    """Kết quả công bố: the frozen snapshot of one unit's result when its cycle was published.

    `data` holds the full computed result (fields, ranks, lost points, self/appraisal totals, previous
    year) so later edits to criteria or assessments never change a published index.
    """

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="results", verbose_name="kỳ đánh giá")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    group = models.CharField(max_length=40, blank=True, verbose_name="nhóm")
    total = models.DecimalField(max_digits=8, decimal_places=2, verbose_name="tổng điểm")
    max_points = models.DecimalField(max_digits=8, decimal_places=2, verbose_name="điểm tối đa")
    index_pct = models.DecimalField(max_digits=6, decimal_places=2, verbose_name="chỉ số (%)")
    rank = models.PositiveIntegerField(verbose_name="hạng")
    data = models.JSONField(default=dict, verbose_name="kết quả chi tiết")
    created_at = models.DateTimeField(auto_now_add=True, verbose_name="thời điểm tạo")

    class Meta:
        verbose_name = "kết quả công bố"
        verbose_name_plural = "kết quả công bố"
        ordering = ["cycle", "group", "rank"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="indices_result_unique")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.unit_id}: {self.index_pct}"


# ------------------------------------------------------------------- national lost points: who explains
# Giải trình điểm bị trừ Chỉ số CCHC cấp tỉnh: after the Ministry publishes the PAR INDEX, the province's PAR
# office assigns every sub-criterion where the province lost points to the department in charge of that
# field, which explains the cause and the remedy (docs/indices.md §8).


class DepartmentKind(models.TextChoices):
    """Loại cơ quan chủ trì theo chức năng (how a default mapping names a department of any province)."""

    HOME_AFFAIRS = "noi_vu", "Sở Nội vụ"
    JUSTICE = "tu_phap", "Sở Tư pháp"
    PROVINCE_OFFICE = "van_phong_ubnd", "Văn phòng UBND tỉnh"
    FINANCE = "tai_chinh", "Sở Tài chính"
    SCIENCE_TECHNOLOGY = "khoa_hoc_cong_nghe", "Sở Khoa học và Công nghệ"
    SERVICE_CENTRE = "trung_tam_phvhcc", "Trung tâm Phục vụ hành chính công"
    INSPECTORATE = "thanh_tra", "Thanh tra tỉnh"


class LostPointDefault(models.Model):
    """Phân công mặc định: the department kind (or, for one province, the exact unit) in charge of the lost
    points of a field or criterion of the national criteria set, matched by the longest code prefix.

    `province` None = the platform's default (shipped data); a province's own row wins over it.
    """

    province = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="tỉnh")
    criterion_prefix = models.CharField(max_length=40, help_text="Mã lĩnh vực (\"2\") hoặc tiêu chí (\"3.2\")", verbose_name="mã lĩnh vực/tiêu chí")
    department_kind = models.CharField(max_length=32, choices=DepartmentKind.choices, blank=True, verbose_name="loại cơ quan chủ trì")
    department = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="cơ quan chủ trì")
    cooperating_kinds = models.JSONField(default=list, blank=True, verbose_name="loại cơ quan phối hợp")
    note = models.CharField(max_length=255, blank=True, verbose_name="ghi chú")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "phân công mặc định giải trình"
        verbose_name_plural = "phân công mặc định giải trình"
        ordering = ["province_id", "criterion_prefix"]
        constraints = [models.UniqueConstraint(fields=["province", "criterion_prefix"], name="indices_lostdefault_unique")]

    def __str__(self) -> str:
        return f"{self.criterion_prefix} → {self.department or self.get_department_kind_display()}"


class LostPointStatus(models.TextChoices):
    """Trạng thái giải trình điểm bị trừ."""

    UNASSIGNED = "unassigned", "Chưa giao"
    ASSIGNED = "assigned", "Đã giao"
    EXPLAINED = "explained", "Đã giải trình"
    ACCEPTED = "accepted", "Đã chấp nhận"
    MORE_REQUESTED = "more_requested", "Yêu cầu bổ sung"


class LostPointAssignment(models.Model):
    """Giao giải trình điểm bị trừ: one sub-criterion where the province lost points in a national-index
    cycle, assigned to the department in charge (cơ quan chủ trì) with cooperating units and a deadline.

    The lost points themselves are never stored here: they are read from the cycle's results (max − final).
    """

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="lost_point_assignments", verbose_name="kỳ đánh giá")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh được đánh giá")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+", verbose_name="tiêu chí thành phần")
    department = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="lost_point_assignments", verbose_name="cơ quan chủ trì")
    cooperating = models.ManyToManyField("units.Unit", blank=True, related_name="lost_point_cooperations", verbose_name="cơ quan phối hợp")
    deadline = models.DateField(verbose_name="hạn giải trình")
    status = models.CharField(max_length=20, choices=LostPointStatus.choices, default=LostPointStatus.ASSIGNED, db_index=True, verbose_name="trạng thái")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người giao")
    assigned_at = models.DateTimeField(verbose_name="thời điểm giao")
    review_note = models.TextField(blank=True, verbose_name="ý kiến của cơ quan thường trực CCHC")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người xem xét")
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name="thời điểm xem xét")
    version = models.PositiveIntegerField(default=1, verbose_name="phiên bản")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="thời điểm cập nhật")

    class Meta:
        verbose_name = "giao giải trình điểm bị trừ"
        verbose_name_plural = "giao giải trình điểm bị trừ"
        ordering = ["cycle", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit", "criterion"], name="indices_lostassignment_unique")]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.criterion_id} → {self.department_id}"


class LostPointExplanation(models.Model):
    """Giải trình của cơ quan chủ trì: cause (nguyên nhân) and remedial action (giải pháp khắc phục), one row
    per submission (a request for more keeps the earlier ones). `lost` is the loss when it was written,
    computed from the results, never typed."""

    assignment = models.ForeignKey(LostPointAssignment, on_delete=models.CASCADE, related_name="explanations", verbose_name="giao giải trình")
    lost = models.DecimalField(max_digits=7, decimal_places=2, verbose_name="điểm bị trừ")
    cause = models.TextField(verbose_name="nguyên nhân")
    remedy = models.TextField(verbose_name="giải pháp khắc phục")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người giải trình")
    submitted_at = models.DateTimeField(verbose_name="thời điểm giải trình")

    class Meta:
        verbose_name = "giải trình điểm bị trừ"
        verbose_name_plural = "giải trình điểm bị trừ"
        ordering = ["assignment", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment_id}: {self.cause[:40]}"
