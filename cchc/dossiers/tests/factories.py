"""Test factories for the dossier engine: a tiny province with a desk, a department and staff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cchc.accounts.models import Role, User
from cchc.catalog.models import Procedure, ProvinceProcedure
from cchc.units.models import Unit, UnitKind

# The smallest valid one-page PDF, for uploads and signing.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def make_world(*, time_value=Decimal("3"), time_unit="working_days", effective_from=date(2020, 1, 1)) -> dict:
    """Province T, its service centre (agency id H99.01), a department, a commune with its desk; staff."""
    province = Unit.objects.create(code="T99", name="Tỉnh Thử nghiệm", kind=UnitKind.PROVINCE)
    centre = Unit.objects.create(code="T99.TTHCC", name="Trung tâm phục vụ hành chính công tỉnh", kind=UnitKind.SERVICE_CENTRE,
                                 parent=province, agency_id="H99.01")
    dept = Unit.objects.create(code="T99.STP", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province, agency_id="H99.02")
    commune = Unit.objects.create(code="T99.X1", name="Xã Thử", kind=UnitKind.COMMUNE, parent=province)
    desk = Unit.objects.create(code="T99.X1.MC", name="Bộ phận một cửa xã Thử", kind=UnitKind.ONE_STOP_DESK, parent=commune,
                               agency_id="H99.50.01")
    other_province = Unit.objects.create(code="T98", name="Tỉnh Khác", kind=UnitKind.PROVINCE)
    other_centre = Unit.objects.create(code="T98.TTHCC", name="Trung tâm tỉnh Khác", kind=UnitKind.SERVICE_CENTRE,
                                       parent=other_province, agency_id="H98.01")
    proc = Procedure.objects.create(code="1.000001", name="Cấp phiếu lý lịch tư pháp", time_value=time_value, time_unit=time_unit)
    commune_proc = Procedure.objects.create(code="1.001193", name="Đăng ký khai sinh", time_value=1, time_unit="working_days")
    unpublished = Procedure.objects.create(code="9.999999", name="Thủ tục chưa công bố")
    pp = ProvinceProcedure.objects.create(
        province=province, procedure=proc, handling_unit=dept, level="province", time_value=time_value, time_unit=time_unit,
        online_level="full", fee_amount=Decimal("200000"), effective_from=effective_from,
    )
    ProvinceProcedure.objects.create(
        province=province, procedure=commune_proc, handling_unit=commune, level="commune", time_value=Decimal("1"),
        time_unit="working_days", online_level="full", effective_from=effective_from,
    )

    def user(username, role, unit, **extra):
        u = User.objects.create_user(username=username, password="matkhau123", role=role, unit=unit,
                                     email=f"{username}@example.vn", **extra)
        return u

    return {
        "province": province, "centre": centre, "dept": dept, "commune": commune, "desk": desk,
        "other_province": other_province, "other_centre": other_centre,
        "procedure": proc, "commune_procedure": commune_proc, "unpublished": unpublished, "pp": pp,
        "officer": user("motcua", Role.ONE_STOP_OFFICER, centre),
        "specialist": user("chuyenvien", Role.SPECIALIST, dept),
        "specialist2": user("chuyenvien2", Role.SPECIALIST, dept),
        "desk_officer": user("motcua.xa", Role.ONE_STOP_OFFICER, desk),
        "other_officer": user("motcua.khac", Role.ONE_STOP_OFFICER, other_centre),
        "leader": user("lanhdao", Role.PROVINCE_LEADER, province),
        # heads sign apology letters and electronic results (never the specialist who drafted them)
        "head": user("giamdoc.sotp", Role.UNIT_HEAD, dept, full_name="Lê Văn Pháp", position="Giám đốc"),
        "deputy": user("phogiamdoc.sotp", Role.UNIT_HEAD, dept, full_name="Trần Thị Phó", position="Phó Giám đốc"),
        "centre_head": user("giamdoc.trungtam", Role.UNIT_HEAD, centre, full_name="Huỳnh Thị Phục", position="Giám đốc"),
        "commune_head": user("chutich.xathu", Role.UNIT_HEAD, commune, full_name="Nguyễn Văn Xã", position="Chủ tịch"),
        "admin": User.objects.create_superuser(username="quantri", password="matkhau123", role=Role.SYSTEM_ADMIN),
    }


def applicant(**over) -> dict:
    data = {"name": "Nguyễn Văn An", "kind": "person", "id_number": "001090012345", "phone": "0912345678",
            "email": "an@example.vn", "address": "Số 1, đường Trần Phú"}
    data.update(over)
    return data


def make_checklist(procedure, lines: list[dict], *, effective_from=date(2020, 1, 1)) -> list:
    """A checklist version (catalog.checklist_save as the system) and its lines, in order."""
    from cchc.catalog.selectors import checklist_items
    from cchc.catalog.services import checklist_save

    version = checklist_save(procedure_code=procedure.code, items=lines, actor=None, effective_from=effective_from)
    return checklist_items(checklist=version)
