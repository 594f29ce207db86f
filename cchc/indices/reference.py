"""Reference criteria sets shipped with the platform (idempotent loader).

- par-province-2948: Chỉ số CCHC cấp tỉnh theo Quyết định 2948/QĐ-BNV ngày 28/12/2017 (historical,
  used for the 2017–2020 indices): field titles and maxima confirmed; criteria/sub-criteria UNCONFIRMED.
- par-province-1150: structure of Quyết định 1150/QĐ-BNV (8 fields, 43 criteria, 95 sub-criteria);
  maxima editable and UNCONFIRMED until the official annex is entered.
- internal-department-template / internal-commune-template: ready internal-index templates a province
  copies (`services.criteria_set_copy`) and edits.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

DATA = Path(__file__).parent / "data"

SETS = [
    dict(code="par-province-2948", file="par_province_2948.csv", name="Chỉ số CCHC cấp tỉnh (Quyết định 2948/QĐ-BNV)",
         year=2017, target_group="province", decision_no="2948/QĐ-BNV ngày 28/12/2017", confirmed=False, is_template=False,
         source_url="https://ls1.hethongphapluat.com/quyet-dinh-216-qd-ubnd-nam-2018-ve-ke-hoach-trien-khai-xac-dinh-chi-so-cai-cach-hanh-chinh-tinh-nghe-an-nam-2017.html",
         notes="8 lĩnh vực và điểm tối đa từng lĩnh vực theo khóa học bonoivu.cls.vn (trang 22610); tiêu chí và tiêu chí thành phần "
               "chưa được đối chiếu với văn bản gốc (cột 'confirmed' = không)."),
    dict(code="par-province-1150", file="par_province_1150.csv", name="Chỉ số CCHC cấp tỉnh (Quyết định 1150/QĐ-BNV)",
         year=2024, target_group="province", decision_no="1150/QĐ-BNV", confirmed=False, is_template=False,
         source_url="https://sonoivu.namdinh.gov.vn/van-ban-chinh-sach/quyet-dinh-so-1150qd-bnv-phe-duyet-bo-chi-so-cchc-cac-bo-co-quan-ngang-bo-uy-ban-nhan-dan-tinh-thanh-pho-truc-thuoc-863",
         notes="Cấu trúc 8 lĩnh vực, 43 tiêu chí, 95 tiêu chí thành phần đã xác nhận; tên tiêu chí và điểm tối đa CHƯA xác nhận — "
               "nhập theo phụ lục chính thức."),
    dict(code="internal-department-template", file="internal_department_template.csv", name="Mẫu Chỉ số CCHC nội bộ — sở, ban, ngành",
         year=2025, target_group="department", decision_no="", confirmed=False, is_template=True,
         notes="Mẫu để tỉnh sao chép và chỉnh sửa; điểm số do tỉnh quyết định."),
    dict(code="internal-commune-template", file="internal_commune_template.csv", name="Mẫu Chỉ số CCHC nội bộ — UBND xã, phường, đặc khu",
         year=2025, target_group="commune", decision_no="", confirmed=False, is_template=True,
         notes="Mẫu để tỉnh sao chép và chỉnh sửa; điểm số do tỉnh quyết định."),
]


def load(*, stdout=None) -> dict:
    """Create the shipped criteria sets that are missing (existing ones are left as they are)."""
    from .criteria_io import read_criteria_csv
    from .models import CriteriaSet
    from .services import criteria_set_create

    existing = set(CriteriaSet.objects.filter(code__in=[s["code"] for s in SETS]).values_list("code", flat=True))
    created = []
    for spec in SETS:
        if spec["code"] in existing:
            continue
        rows = read_criteria_csv((DATA / spec["file"]).read_bytes(), source=spec["file"])
        fields = {k: v for k, v in spec.items() if k != "file"}
        with transaction.atomic():
            criteria_set_create(rows=rows, actor=None, **fields)
        created.append(spec["code"])
    if stdout is not None and created:
        stdout.write(f"indices: đã nạp {len(created)} bộ tiêu chí ({', '.join(created)})\n")
    defaults = load_lost_point_defaults()
    return {"criteria_sets_created": len(created), "criteria_sets_total": len(SETS), "lost_point_defaults_created": defaults}


def load_lost_point_defaults() -> int:
    """The platform's default mapping of national fields → department kinds in charge of explaining lost points
    (`data/lost_point_defaults.csv`, rows with no province). Missing rows are created; existing ones (maybe
    edited by an administrator) are left as they are. Returns how many were created."""
    import csv
    import io

    from .models import LostPointDefault

    have = set(LostPointDefault.objects.filter(province__isnull=True).values_list("criterion_prefix", flat=True))
    text = (DATA / "lost_point_defaults.csv").read_text(encoding="utf-8")
    rows = [
        LostPointDefault(criterion_prefix=r["criterion_prefix"].strip(), department_kind=r["department_kind"].strip(),
                         cooperating_kinds=[k.strip() for k in r["cooperating_kinds"].split(";") if k.strip()], note=r["note"].strip())
        for r in csv.DictReader(io.StringIO(text)) if r["criterion_prefix"].strip() not in have
    ]
    LostPointDefault.objects.bulk_create(rows)
    return len(rows)
