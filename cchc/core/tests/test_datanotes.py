"""Internal data-quality notes: one rule for who sees them, and their removal from texts shown to the public."""

from types import SimpleNamespace

import pytest

from cchc.core.datanotes import has_internal_note, public_text, sees_data_notes


@pytest.mark.parametrize(("text", "expected"), [
    ("Văn bản VPCP về nghỉ Tết 2026 (số hiệu CHƯA XÁC NHẬN)", "Văn bản VPCP về nghỉ Tết 2026"),
    ("Nghị quyết 80-NQ/TW; Nghị quyết 30/NQ-CP", "Nghị quyết 80-NQ/TW; Nghị quyết 30/NQ-CP"),  # nothing to hide
    ("Thời hạn cần xác minh: chỉ có số; Căn cứ Luật Hộ tịch", "Căn cứ Luật Hộ tịch"),
    ("Ghi chú. Chưa đối chiếu (UNCONFIRMED) — xem docs/dossiers.md §4. Còn lại.", "Ghi chú. Còn lại."),
    ("1 (không ghi đơn vị)", "1 (không ghi đơn vị)"),
    ("", ""), (None, ""),
])
def test_public_text_removes_only_the_parts_that_carry_an_internal_note(text, expected):
    assert public_text(text) == expected
    assert not has_internal_note(public_text(text))


def _user(**kw):
    base = {"is_authenticated": True, "is_staff_member": False, "is_system_admin": False}
    return SimpleNamespace(**{**base, **kw})


@pytest.mark.parametrize(("user", "sees"), [
    (None, False),
    (SimpleNamespace(is_authenticated=False), False),               # anonymous visitor
    (_user(), False),                                               # citizen
    (_user(is_staff_member=True), True),                            # any staff role
    (_user(is_system_admin=True), True),
    (_user(is_authenticated=False, is_staff_member=True), False),   # never without a login
])
def test_only_signed_in_staff_and_the_admin_see_data_notes(user, sees):
    assert sees_data_notes(user) is sees
