"""Sổ theo dõi hồ sơ (XLSX): the official columns, local dates, one row per dossier, readable back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cchc.dossiers import registers
from cchc.dossiers import workflow as wf

OFFICIAL_HEADERS = [
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức", "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm tiếp nhận", "Ngày, tháng, năm hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng)", "Ngày, tháng có kết quả / yêu cầu bổ sung",
    "Ngày, tháng, năm trả kết quả", "Ký nhận", "Ghi chú",
]


def _sheet(data: bytes):
    import io

    return load_workbook(io.BytesIO(data)).active


def test_the_register_has_the_fourteen_official_columns_and_their_numbers():
    data = registers.write_register([], unit_name="Trung tâm PVHCC", parent_name="UBND tỉnh Hà Tĩnh",
                                    period_from=date(2026, 3, 1), period_to=date(2026, 3, 31), form_number="07",
                                    circular="03/2025/TT-VPCP")
    ws = _sheet(data)
    header_row = next(r for r in ws.iter_rows() if r[0].value == "STT")[0].row
    assert [c.value for c in ws[header_row]] == OFFICIAL_HEADERS
    assert [c.value for c in ws[header_row + 1]] == [f"({i})" for i in range(1, 15)]
    texts = [ws.cell(row=r, column=1).value for r in range(1, header_row)]
    assert "SỔ THEO DÕI HỒ SƠ" in texts and "Từ ngày 01/03/2026 đến ngày 31/03/2026" in texts
    assert "TRUNG TÂM PVHCC" in texts and "Mẫu số 07 – Thông tư 03/2025/TT-VPCP" in texts
    assert ws.page_setup.orientation == "landscape"
    assert registers.read_register(data) == []


def test_datetimes_are_written_in_local_time_and_read_back():
    received = datetime(2026, 3, 5, 1, 30, tzinfo=UTC)  # 08:30 in Hà Nội
    data = registers.write_register([{"code": "A-1", "procedure": "Đăng ký khai sinh", "quantity": 1, "applicant": "Ngô Bảo Châu",
                                      "received_at": received, "due_at": date(2026, 3, 6)}], unit_name="X")
    row = registers.read_register(data)[0]
    assert row["stt"] == 1 and row["code"] == "A-1" and row["applicant"] == "Ngô Bảo Châu"
    assert row["received_at"] == datetime(2026, 3, 5, 8, 30)


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.fixed_dictionaries({"code": texts.filter(lambda s: s.strip() != ""), "applicant": texts}), max_size=8))
def test_any_rows_round_trip_in_order(rows):
    back = registers.read_register(registers.write_register(rows, unit_name="Đơn vị"))
    assert [r["stt"] for r in back] == list(range(1, len(rows) + 1))
    assert [r["code"] for r in back] == [r["code"] for r in rows]
    assert [r["applicant"] or "" for r in back] == [r["applicant"] for r in rows]


@pytest.mark.django_db
def test_rows_from_dossiers_carry_transfer_result_return_and_notes(world):
    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier

    from .factories import applicant

    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"],
                                 applicant=applicant(address="Thôn 3", phone="0912345678"))
    services.dossier_transition(code=d.code, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=world["dept"].code)
    services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    services.dossier_transition(code=d.code, action=wf.RETURN, actor=world["officer"])
    rejected = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    services.dossier_transition(code=rejected.code, action=wf.REJECT, actor=world["officer"], reason="Không thuộc thẩm quyền")
    qs = Dossier.objects.filter(pk__in=[d.pk, rejected.pk]).order_by("id").prefetch_related("steps", "pauses")
    rows = registers.register_rows(qs)
    first, second = rows
    d.refresh_from_db()
    assert first["code"] == d.code and first["contact"] == "Thôn 3, 0912345678"
    assert first["handling_unit"] == "Sở Tư pháp"
    assert first["transferred_at"] == d.steps.get(seq=1).sent_at
    assert first["result_at"] == d.settled_at and first["returned_at"] == d.returned_at
    assert "Từ chối giải quyết: Không thuộc thẩm quyền" in second["note"]
    back = registers.read_register(registers.write_register(rows, unit_name="Trung tâm"))
    assert [r["code"] for r in back] == [d.code, rejected.code]
    assert back[0]["returned_at"] is not None and back[0]["returned_at"] - back[0]["received_at"] < timedelta(days=1)
