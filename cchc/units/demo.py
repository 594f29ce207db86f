"""Demo province (tỉnh demo): Tây Ninh, the province formed on 1 July 2025 from Tây Ninh and Long An.

Commune and ward names are the 96 real units of Nghị quyết 1682/NQ-UBTVQH15 (16/06/2025); their codes
here ("80-001" …) and all agency identifiers are made up for the demo (see docs/units.md).
Agency identifiers (mã định danh cơ quan, used in dossier codes) follow one scheme:
  H80.00.00 UBND tỉnh, H80.00.01 Trung tâm phục vụ hành chính công, H80.10.NN sở/ban/ngành,
  H80.20.NN cơ quan Trung ương, H80.30.NN đơn vị sự nghiệp, H80.1CC UBND xã CC (101…196),
  H80.1CC.01 its one-stop desk.
"""

from __future__ import annotations

import csv

from django.db import transaction

from .models import Unit, UnitKind
from .reference import DATA_DIR, REFORM_DATE

PROVINCE_CODE = "80"
P = PROVINCE_CODE

# short key, name, short name
DEPARTMENTS = [
    ("vpubnd", "Văn phòng Ủy ban nhân dân tỉnh Tây Ninh", "Văn phòng UBND tỉnh"),
    ("noivu", "Sở Nội vụ tỉnh Tây Ninh", "Sở Nội vụ"),
    ("tuphap", "Sở Tư pháp tỉnh Tây Ninh", "Sở Tư pháp"),
    ("taichinh", "Sở Tài chính tỉnh Tây Ninh", "Sở Tài chính"),
    ("xaydung", "Sở Xây dựng tỉnh Tây Ninh", "Sở Xây dựng"),
    ("nnmt", "Sở Nông nghiệp và Môi trường tỉnh Tây Ninh", "Sở Nông nghiệp và Môi trường"),
    ("congthuong", "Sở Công Thương tỉnh Tây Ninh", "Sở Công Thương"),
    ("yte", "Sở Y tế tỉnh Tây Ninh", "Sở Y tế"),
    ("gddt", "Sở Giáo dục và Đào tạo tỉnh Tây Ninh", "Sở Giáo dục và Đào tạo"),
    ("khcn", "Sở Khoa học và Công nghệ tỉnh Tây Ninh", "Sở Khoa học và Công nghệ"),
    ("vhttdl", "Sở Văn hóa, Thể thao và Du lịch tỉnh Tây Ninh", "Sở Văn hóa, Thể thao và Du lịch"),
    ("dantoc", "Sở Dân tộc và Tôn giáo tỉnh Tây Ninh", "Sở Dân tộc và Tôn giáo"),
    ("ngoaivu", "Sở Ngoại vụ tỉnh Tây Ninh", "Sở Ngoại vụ"),
    ("thanhtra", "Thanh tra tỉnh Tây Ninh", "Thanh tra tỉnh"),
    ("bqlkkt", "Ban Quản lý các khu kinh tế tỉnh Tây Ninh", "Ban Quản lý các khu kinh tế"),
    ("vpdbqh", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Tây Ninh", "Văn phòng Đoàn ĐBQH và HĐND"),
]
CENTRAL_AGENCIES = [
    ("congan", "Công an tỉnh Tây Ninh", "Công an tỉnh"),
    ("thue", "Thuế tỉnh Tây Ninh", "Thuế tỉnh"),
    ("bhxh", "Bảo hiểm xã hội tỉnh Tây Ninh", "Bảo hiểm xã hội tỉnh"),
    ("khobac", "Kho bạc Nhà nước khu vực (Tây Ninh)", "Kho bạc Nhà nước"),
]
# key, name, short name, parent department key (None: directly under the province)
PUBLIC_SERVICE_UNITS = [
    ("vpdkdd", "Văn phòng Đăng ký đất đai tỉnh Tây Ninh", "Văn phòng Đăng ký đất đai", "nnmt"),
    ("cdc", "Trung tâm Kiểm soát bệnh tật tỉnh Tây Ninh", "CDC Tây Ninh", "yte"),
    ("nuibaden", "Ban Quản lý Khu du lịch quốc gia Núi Bà Đen", "BQL KDL Núi Bà Đen", None),
]


def commune_rows() -> list[dict]:
    with open(DATA_DIR / "demo_tay_ninh_communes.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert(code: str, **fields) -> Unit:
    """Create the unit if missing; an existing unit keeps its data (idempotent, never resets edits)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = Unit(code=code, valid_from=REFORM_DATE, **fields)
        unit.save()
    return unit


@transaction.atomic
def build(ctx: dict, *, stdout=None) -> None:
    from .reference import load

    load()
    province = Unit.objects.get(code=PROVINCE_CODE, kind=UnitKind.PROVINCE)
    office = _upsert(f"{P}-UBND", name="Ủy ban nhân dân tỉnh Tây Ninh", short_name="UBND tỉnh",
                     kind=UnitKind.PROVINCE_OFFICE, parent=province, agency_id=f"H{P}.00.00")
    centre = _upsert(f"{P}-TTPVHCC", name="Trung tâm Phục vụ hành chính công tỉnh Tây Ninh",
                     short_name="Trung tâm PVHCC tỉnh", kind=UnitKind.SERVICE_CENTRE, parent=province,
                     agency_id=f"H{P}.00.01")
    departments = {}
    for i, (key, name, short) in enumerate(DEPARTMENTS, 1):
        departments[key] = _upsert(f"{P}-S-{key.upper()}", name=name, short_name=short, kind=UnitKind.DEPARTMENT,
                                   parent=province, agency_id=f"H{P}.10.{i:02d}")
    central = {}
    for i, (key, name, short) in enumerate(CENTRAL_AGENCIES, 1):
        central[key] = _upsert(f"{P}-TW-{key.upper()}", name=name, short_name=short,
                               kind=UnitKind.CENTRAL_AGENCY, parent=province, agency_id=f"H{P}.20.{i:02d}")
    services = {}
    for i, (key, name, short, parent_key) in enumerate(PUBLIC_SERVICE_UNITS, 1):
        services[key] = _upsert(f"{P}-DV-{key.upper()}", name=name, short_name=short,
                                kind=UnitKind.PUBLIC_SERVICE_UNIT,
                                parent=departments[parent_key] if parent_key else province,
                                agency_id=f"H{P}.30.{i:02d}")
    communes, desks = [], []
    for row in commune_rows():
        n = int(row["clause"])
        is_ward = row["type"] == "phuong"
        prefix = "Phường" if is_ward else "Xã"
        commune = _upsert(f"{P}-{n:03d}", name=f"{prefix} {row['name']}", short_name=row["name"],
                          kind=UnitKind.WARD if is_ward else UnitKind.COMMUNE, parent=province,
                          agency_id=f"H{P}.{100 + n}", region=province.region)
        desk = _upsert(f"{P}-{n:03d}-MC", name=f"Bộ phận một cửa {prefix.lower()} {row['name']}",
                       short_name=f"Một cửa {row['name']}", kind=UnitKind.ONE_STOP_DESK, parent=commune,
                       agency_id=f"H{P}.{100 + n}.01")
        communes.append(commune)
        desks.append(desk)
    ctx["province"] = province
    ctx["province_office"] = office
    ctx["service_centre"] = centre
    ctx["departments"] = departments
    ctx["central_agencies"] = central
    ctx["public_service_units"] = services
    ctx["communes"] = communes
    ctx["desks"] = desks
    if stdout is not None:
        stdout.write(
            f"Tỉnh demo {province.name}: {len(departments)} sở/ban/ngành, {len(central)} cơ quan TW, "
            f"{len(communes)} xã/phường với bộ phận một cửa\n"
        )
