"""Writes on the organisation registry: importing communes/wards (nhập danh sách xã, phường)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction

from cchc.core.audit import audit_record_many
from cchc.core.textfold import fold

from .importing import Row
from .models import COMMUNE_KINDS, Unit, UnitKind
from .reference import REFORM_DATE

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]{0,39}$")

# folded spelling -> kind. Accepts xa/phuong/dac_khu, "Xã"/"Phường"/"Đặc khu" and the UnitKind values.
TYPE_ALIASES: dict[str, str] = {
    "xa": UnitKind.COMMUNE,
    "commune": UnitKind.COMMUNE,
    "phuong": UnitKind.WARD,
    "ward": UnitKind.WARD,
    "dac khu": UnitKind.SPECIAL_ZONE,
    "dackhu": UnitKind.SPECIAL_ZONE,
    "special zone": UnitKind.SPECIAL_ZONE,
    "special_zone": UnitKind.SPECIAL_ZONE,
}


def commune_kind_from_text(text: str) -> str | None:
    """Loại đơn vị hành chính cấp xã from free text, or None when not recognised."""
    key = re.sub(r"[\s_\-]+", " ", fold(text or "")).strip()
    return TYPE_ALIASES.get(key) or TYPE_ALIASES.get(key.replace(" ", "_"))


def _normalise_code(text: str, width: int) -> str:
    text = (text or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a number that went through a spreadsheet
        text = text[:-2]
    if text.isdigit() and len(text) < width:
        text = text.zfill(width)  # spreadsheets drop the leading zeros of official codes
    return text


LOOKUP_BATCH = 500


def units_by_code(codes: list[str], *, lock: bool = False) -> dict:
    """{code: Unit} for any number of codes, in batches: one `IN (…)` of 250.000 codes exceeds SQLite's
    variable limit (32.766; 999 in old builds) and PostgreSQL's 65.535 parameters."""
    found = {}
    for start in range(0, len(codes), LOOKUP_BATCH):
        qs = Unit.objects.filter(code__in=codes[start:start + LOOKUP_BATCH])
        found.update({u.code: u for u in (qs.select_for_update() if lock else qs)})
    return found


def _reject(rejected: list, row: Row, code: str, field: str, rule: str, reason: str) -> None:
    rejected.append({"row": row.line, "code": code, "field": field, "rule": rule, "reason": reason})


@transaction.atomic
def unit_import_communes(*, rows: Iterable[Row], actor=None) -> dict:
    """Create or update communes, wards and special zones from parsed rows; report every rejected row.

    Rules (each rejection names the line, the field and the rule):
    - code: required, letters/digits/. _ - (max 40); all-digit codes shorter than 5 are zero-padded;
      must not repeat within the file; must not belong to a unit that is not a commune/ward/zone;
    - name: required, at most 255 characters;
    - type: xa / phuong / dac_khu, "Xã" / "Phường" / "Đặc khu", or commune / ward / special_zone;
    - province_code: the code of one of the 34 current provinces (a pre-2025 code is refused,
      naming the province that replaced it).
    Existing units with the same code are updated when name, type or province differ, else left alone.
    """
    rows = list(rows)
    provinces = {u.code: u for u in Unit.objects.filter(kind=UnitKind.PROVINCE)}
    old_by_admin = {
        u.admin_code: u for u in Unit.objects.filter(kind=UnitKind.OLD_PROVINCE).prefetch_related("successors")
    }
    codes = [_normalise_code(r.values.get("code", ""), 5) for r in rows]
    valid_codes = [c for c in codes if c and CODE_RE.match(c)]  # an invalid code (e.g. a NUL byte) never reaches the query
    existing = units_by_code(valid_codes, lock=True)
    created = updated = unchanged = 0
    rejected: list[dict] = []
    seen: dict[str, int] = {}
    events = []
    for row, code in zip(rows, codes, strict=True):
        name = (row.values.get("name") or "").strip()
        type_text = (row.values.get("type") or "").strip()
        prov_text = _normalise_code(row.values.get("province_code", ""), 2)
        if not code:
            _reject(rejected, row, code, "code", "required", "thiếu mã đơn vị (cột code/ma)")
            continue
        if not CODE_RE.match(code):
            _reject(rejected, row, code, "code", "format", f"mã '{code}' không hợp lệ: chỉ gồm chữ, số, dấu . _ - (tối đa 40 ký tự)")
            continue
        if code in seen:
            _reject(rejected, row, code, "code", "duplicate", f"mã {code} trùng với dòng {seen[code]} trong cùng tệp")
            continue
        seen[code] = row.line
        if not name:
            _reject(rejected, row, code, "name", "required", "thiếu tên đơn vị (cột name/ten)")
            continue
        if len(name) > 255:
            _reject(rejected, row, code, "name", "max_length", "tên đơn vị dài quá 255 ký tự")
            continue
        if "\x00" in name:  # PostgreSQL text cannot hold NUL: refuse the row instead of failing the import
            _reject(rejected, row, code, "name", "format", "tên đơn vị chứa ký tự NUL không hợp lệ")
            continue
        kind = commune_kind_from_text(type_text)
        if kind is None:
            _reject(
                rejected, row, code, "type", "choice",
                f"loại '{type_text}' không hợp lệ: dùng xa/phuong/dac_khu hoặc Xã/Phường/Đặc khu" if type_text
                else "thiếu loại đơn vị (cột type/loai)",
            )
            continue
        if not prov_text:
            _reject(rejected, row, code, "province_code", "required", "thiếu mã tỉnh (cột province_code/ma_tinh)")
            continue
        province = provinces.get(prov_text)
        if province is None:
            old = old_by_admin.get(prov_text)
            if old is not None:
                succ = next(iter(old.successors.all()), None)
                hint = f"; dùng mã tỉnh mới {succ.code} ({succ.short_name or succ.name})" if succ else ""
                _reject(
                    rejected, row, code, "province_code", "not_current",
                    f"mã tỉnh {prov_text} là mã của {old.short_name or old.name} trước 01/07/2025{hint}",
                )
            else:
                _reject(rejected, row, code, "province_code", "unknown", f"không có tỉnh/thành phố mã {prov_text}")
            continue
        unit = existing.get(code)
        if unit is None:
            unit = Unit(
                code=code, name=name, kind=kind, parent=province, province=province, admin_code=code[:10],
                valid_from=REFORM_DATE, is_active=True,
            )
            unit.save()
            existing[code] = unit
            created += 1
            events.append(dict(actor=actor, action="units.commune_created", obj=unit, to_state=kind,
                               data={"name": name, "province": province.code, "row": row.line}))
            continue
        if unit.kind not in COMMUNE_KINDS:
            _reject(
                rejected, row, code, "code", "conflict",
                f"mã {code} đã dùng cho đơn vị khác loại: {unit.name} ({unit.get_kind_display()})",
            )
            continue
        before = {"name": unit.name, "kind": unit.kind, "province": unit.province.code if unit.province_id else None}
        after = {"name": name, "kind": kind, "province": province.code}
        if before == after and unit.parent_id == province.pk:
            unchanged += 1
            continue
        unit.name, unit.kind, unit.parent, unit.province = name, kind, province, province
        unit.save()
        updated += 1
        events.append(dict(actor=actor, action="units.commune_updated", obj=unit, from_state=before["kind"],
                           to_state=kind, data={"before": before, "after": after, "row": row.line}))
    if events:
        audit_record_many(events)
    return {"created": created, "updated": updated, "unchanged": unchanged, "rejected": rejected}


# ---------------------------------------------------------------------------------------------- home commune

HOME_UNIT_LABEL = "Xã/phường nơi cư trú"


def home_unit_candidate(code: str) -> Unit:
    """The unit a person may name as their commune of residence, or DomainError naming `home_unit`.

    Rule: an active commune, ward or special zone (COMMUNE_KINDS, the one definition of a commune-level
    unit) that belongs to a province. Historical communes (before 1/7/2025), departments, desks and the
    province itself are refused.
    """
    from cchc.core.errors import DomainError

    code = str(code or "").strip()
    if not code:
        raise DomainError(f"{HOME_UNIT_LABEL}: hãy chọn một xã, phường, đặc khu.", code="required", field="home_unit")
    unit = Unit.objects.select_related("province").filter(code=code).first() if CODE_RE.match(code) else None
    if unit is None:
        raise DomainError(f"{HOME_UNIT_LABEL}: không có đơn vị mã “{code[:40]}”.", code="unknown_unit", field="home_unit")
    if unit.kind not in COMMUNE_KINDS:
        raise DomainError(
            f"{HOME_UNIT_LABEL}: “{unit.name}” là {unit.get_kind_display().lower()}, không phải xã, phường, đặc khu.",
            code="not_a_commune", field="home_unit",
        )
    if not unit.is_active:
        raise DomainError(f"{HOME_UNIT_LABEL}: “{unit.name}” không còn hoạt động (đã sắp xếp lại).",
                          code="inactive_unit", field="home_unit")
    if unit.province_id is None or unit.province.kind != UnitKind.PROVINCE:
        raise DomainError(f"{HOME_UNIT_LABEL}: “{unit.name}” không thuộc tỉnh, thành phố nào.",
                          code="no_province", field="home_unit")
    return unit


def home_unit_set(*, user, actor, code: str | None) -> object:
    """Đặt xã/phường nơi cư trú (`User.home_unit`) of `user`: the default place of online filing for
    commune-level procedures; grants nothing. `code` empty or None clears it. Only the user themself or a
    system admin. Audited ("accounts.home_unit_set", from/to codes); nothing changes on a refusal."""
    from django.contrib.auth import get_user_model

    from cchc.core.audit import audit_record
    from cchc.core.errors import ForbiddenError

    User = get_user_model()
    if actor.pk != user.pk and not getattr(actor, "is_system_admin", False):
        raise ForbiddenError("Bạn chỉ được đặt nơi cư trú của chính mình.", code="forbidden")
    unit = home_unit_candidate(code) if code not in (None, "") else None
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = locked.home_unit
        if (before.pk if before else None) == (unit.pk if unit else None):
            return locked
        locked.home_unit = unit
        locked.save(update_fields=["home_unit"])
        audit_record(actor=actor, action="accounts.home_unit_set", obj=locked,
                     from_state=before.code if before else "", to_state=unit.code if unit else "",
                     data={"from": before.name if before else None, "to": unit.name if unit else None})
    return locked

