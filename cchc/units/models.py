"""Organisation registry: administrative units (đơn vị hành chính) and agencies (cơ quan, đơn vị)."""

from django.db import models

from cchc.core.textfold import fold


class UnitKind(models.TextChoices):
    """Loại đơn vị."""

    PROVINCE = "province", "Tỉnh/thành phố"
    OLD_PROVINCE = "old_province", "Tỉnh cũ (trước 01/07/2025)"
    DISTRICT = "district", "Huyện (lịch sử)"
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    OLD_COMMUNE = "old_commune", "Xã/phường cũ (lịch sử)"
    DEPARTMENT = "department", "Sở, ban, ngành"
    CENTRAL_AGENCY = "central_agency", "Cơ quan Trung ương đóng trên địa bàn"
    PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp công lập"
    SERVICE_CENTRE = "service_centre", "Trung tâm phục vụ hành chính công"
    ONE_STOP_DESK = "one_stop_desk", "Bộ phận một cửa"
    PROVINCE_OFFICE = "province_office", "UBND tỉnh / Văn phòng"


ADMINISTRATIVE_KINDS = {UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
COMMUNE_KINDS = {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}
HISTORICAL_KINDS = {UnitKind.OLD_PROVINCE, UnitKind.DISTRICT, UnitKind.OLD_COMMUNE}


class Unit(models.Model):
    """Đơn vị: an administrative unit or an agency, in one tree.

    `parent` is the unit it belongs to (a commune's province, a department's province, a desk's
    centre or commune); `province` is the top-level unit, stored for fast scoping.
    Validity dates and `successors` follow a unit through mergers (sáp nhập).
    """

    code = models.CharField(max_length=40, unique=True, verbose_name="mã đơn vị")
    name = models.CharField(max_length=255, verbose_name="tên đơn vị")
    short_name = models.CharField(max_length=120, blank=True, verbose_name="tên viết tắt")
    name_folded = models.CharField(max_length=255, db_index=True, editable=False, verbose_name="tên không dấu")
    kind = models.CharField(max_length=32, choices=UnitKind.choices, db_index=True, verbose_name="loại đơn vị")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="đơn vị cấp trên")
    province = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh")
    region = models.CharField(max_length=80, blank=True, help_text="Vùng kinh tế - xã hội", verbose_name="vùng")
    valid_from = models.DateField(null=True, blank=True, verbose_name="có hiệu lực từ")
    valid_to = models.DateField(null=True, blank=True, verbose_name="có hiệu lực đến")
    successors = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="predecessors", verbose_name="đơn vị kế thừa")
    agency_id = models.CharField(max_length=40, blank=True, help_text="Mã định danh cơ quan (mã hồ sơ)", verbose_name="mã cơ quan")
    address = models.CharField(max_length=255, blank=True, verbose_name="địa chỉ")
    is_active = models.BooleanField(default=True, verbose_name="đang hoạt động")
    admin_code = models.CharField(
        max_length=10, blank=True, db_index=True,
        help_text="Mã đơn vị hành chính chính thức (mã mới theo QĐ 19/2025/QĐ-TTg, hoặc mã 63 tỉnh cũ)",
        verbose_name="mã đơn vị hành chính",
    )
    aliases = models.TextField(blank=True, help_text="Tên gọi khác, phân cách bằng dấu ;", verbose_name="tên gọi khác")

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["code"]
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        if self.kind == UnitKind.PROVINCE or self.kind == UnitKind.OLD_PROVINCE:
            self.province = None
        elif self.parent_id and self.province_id is None:
            parent = self.parent
            self.province_id = parent.pk if parent.province_id is None else parent.province_id
        super().save(*args, **kwargs)

    def is_valid_on(self, day) -> bool:
        """Hiệu lực: True if `day` lies within [valid_from, valid_to] (open ends allowed)."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def province_unit(self):
        return self if self.province_id is None else self.province


class TargetMetric(models.TextChoices):
    """Chỉ tiêu cải cách hành chính a province sets (each rate is the statistic of the same name)."""

    ON_TIME_RATE = "on_time_rate", "Tỷ lệ hồ sơ giải quyết đúng hạn (%)"
    ONLINE_SHARE = "online_share", "Tỷ lệ hồ sơ nộp trực tuyến (%)"
    DIGITISED_DOCUMENTS_SHARE = "digitised_documents_share", "Tỷ lệ hồ sơ được số hóa (%)"
    ELECTRONIC_RESULT_SHARE = "electronic_result_share", "Tỷ lệ kết quả giải quyết điện tử (%)"
    SATISFACTION = "satisfaction", "Mức độ hài lòng của người dân, tổ chức (%)"
    PAR_INDEX_RANK = "par_index_rank", "Thứ hạng Chỉ số CCHC (PAR INDEX)"


# A rank is better when lower: "not reached" means a rank number above the target.
LOWER_IS_BETTER = frozenset({TargetMetric.PAR_INDEX_RANK})


class Target(models.Model):
    """Chỉ tiêu CCHC: the value a province sets for one metric, for a year and optionally one unit.

    Rows without province are the national defaults shipped with the platform; rows without year apply
    to every year; rows without unit apply to the whole province. `source_document` names the resolution
    or plan that set it (Nghị quyết HĐND, Kế hoạch CCHC của UBND tỉnh…). Written only through
    `cchc.units.services.target_set / target_delete` (audited); read through `selectors.target_for`.
    """

    province = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="Tỉnh/thành phố",
        help_text="Để trống: mục tiêu mặc định toàn quốc",
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="targets", verbose_name="Đơn vị",
        help_text="Để trống: áp dụng cho cả tỉnh",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name="Năm", help_text="Để trống: mọi năm")
    metric = models.CharField(max_length=40, choices=TargetMetric.choices, verbose_name="Chỉ tiêu")
    value = models.DecimalField(max_digits=7, decimal_places=2, verbose_name="Giá trị mục tiêu")
    source_document = models.CharField(max_length=255, verbose_name="Văn bản giao chỉ tiêu")
    source_url = models.URLField(max_length=500, blank=True, verbose_name="Đường dẫn văn bản")
    note = models.TextField(blank=True, verbose_name="Ghi chú")
    updated_at = models.DateTimeField(auto_now=True, verbose_name="Cập nhật lúc")

    class Meta:
        verbose_name = "Chỉ tiêu CCHC"
        verbose_name_plural = "Chỉ tiêu CCHC"
        ordering = ["province__code", "metric", "-year", "unit__code"]
        indexes = [models.Index(fields=["metric", "province", "year"])]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id else (self.province.name if self.province_id else "Toàn quốc")
        return f"{self.get_metric_display()} {self.year or 'mọi năm'} — {where}: {self.value}"
