"""Công khai kết quả giải quyết hồ sơ (public transparency page, no login).

Units must publish their on-time results (Nghị định 61/2018/NĐ-CP, Điều 31 khoản 2 as amended by Nghị định
107/2021/NĐ-CP: công khai kết quả giải quyết, xin lỗi). The page shows, for one province and this year up to
the end of yesterday, the dossiers received, settled, settled on time / late and the on-time rate by
responsible unit and by procedure field, read from the rollups (never the dossier table), plus the apologies
units chose to publish. Figures are computed once per day (cached until the date changes): "updated daily".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from cchc.core.xlsx import workbook_bytes

from . import rollups, selectors

CACHE_SECONDS = 26 * 3600


def _provinces():
    from cchc.units.models import Unit, UnitKind

    return list(Unit.objects.filter(kind=UnitKind.PROVINCE, is_active=True).order_by("name"))


def _default_province(provinces):
    """The province a visitor without ?tinh= sees: CCHC_PROVINCE (settings.PLATFORM_PROVINCE) when set, else the
    province whose staff use this platform (most staff accounts; cached a day), else the first by name — not an
    empty page of a province that has no data here."""
    from django.conf import settings

    from cchc.accounts.models import Role, User

    if not provinces:
        return None
    by_code = {p.code: p for p in provinces}
    code = getattr(settings, "PLATFORM_PROVINCE", "")
    if code in by_code:
        return by_code[code]
    code = cache.get("cong-khai:default-province")
    if code is None:
        counts: dict[str, int] = {}
        for unit_code, province_code in (User.objects.exclude(role=Role.CITIZEN).exclude(unit=None)
                                         .values_list("unit__code", "unit__province__code")):
            key = province_code or unit_code
            counts[key] = counts.get(key, 0) + 1
        ranked = sorted((c for c in counts if c in by_code), key=lambda c: (-counts[c], c))
        code = ranked[0] if ranked else ""
        cache.set("cong-khai:default-province", code, CACHE_SECONDS)
    return by_code.get(code) or provinces[0]


def _row(name, r) -> dict:
    on_time = r["settled_early"] + r["settled_on_time"]
    return {"name": name, "received": r["received_new"], "settled": r["settled"], "on_time": on_time,
            "late": r["settled_late"], "in_process": r["in_process"], "overdue": r["in_process_overdue"],
            "rate": r["on_time_rate"]}


def transparency_figures(province, *, as_of) -> dict:
    """{"date_from", "date_to", "total", "units", "fields"} for `province`, 1/1 to `as_of` (a finished day)."""
    from cchc.catalog.models import Procedure
    from cchc.units.models import Unit

    d_from = as_of.replace(month=1, day=1)
    tz = timezone.get_default_timezone()
    cut = datetime.combine(as_of + timedelta(days=1), datetime.min.time(), tzinfo=tz)  # end of `as_of`
    common = {"date_from": d_from, "date_to": as_of, "now": cut, "where": Q(province=province)}
    total = rollups.rollup_statistics(group_by=(), **common)[0]
    by_unit = rollups.rollup_statistics(group_by=(), extra_groups={"row_unit": selectors.row_unit_expression(None)}, **common)
    names = dict(Unit.objects.filter(pk__in=[r["row_unit"] for r in by_unit]).values_list("pk", "name"))
    units = [_row(names.get(r["row_unit"], "?"), r) for r in by_unit]
    by_proc = rollups.rollup_statistics(group_by=("procedure",), **common)
    field_of = dict(Procedure.objects.filter(code__in=[r["procedure"] for r in by_proc]).values_list("code", "field"))
    folded: dict = {}
    keys = ("received_new", "settled", "settled_early", "settled_on_time", "settled_late", "in_process", "in_process_overdue")
    for r in by_proc:
        f = folded.setdefault(field_of.get(r["procedure"]) or "Khác", dict.fromkeys(keys, 0))
        for k in keys:
            f[k] += r[k]
    fields = []
    for name, f in folded.items():
        f["on_time_rate"] = selectors._pct(f["settled_early"] + f["settled_on_time"], f["settled"])
        fields.append(_row(name, f))
    order = lambda x: (x["rate"] is None, -(x["rate"] or 0), -x["settled"], x["name"])  # noqa: E731
    units.sort(key=order)
    fields.sort(key=order)
    return {"date_from": d_from, "date_to": as_of, "total": _row("Toàn tỉnh", total), "units": units, "fields": fields}


def published_figures(code: str | None):
    """(provinces, province, data) as published today: the figures to the end of yesterday, cached for the day.
    The page and the public API (`/api/v1/public/transparency/`) both read this, so they always agree."""
    provinces = _provinces()
    province = next((p for p in provinces if p.code == code), None) or _default_province(provinces)
    as_of = timezone.localdate() - timedelta(days=1)
    data = None
    if province is not None:
        key = f"cong-khai:{province.pk}:{as_of.isoformat()}"
        data = cache.get(key)
        if data is None:
            data = transparency_figures(province, as_of=as_of)
            cache.set(key, data, CACHE_SECONDS)
    return provinces, province, data


def public_transparency(request):
    """Công khai: no login; ?tinh=<code> picks the province; ?xuat=xlsx exports both tables."""
    provinces, province, data = published_figures(request.GET.get("tinh"))
    as_of = data["date_to"] if data else timezone.localdate() - timedelta(days=1)
    if data is not None and request.GET.get("xuat") == "xlsx":
        from django.http import HttpResponse

        head = ["Tên", "Tiếp nhận mới", "Đã giải quyết", "Đúng hạn (gồm trước hạn)", "Trễ hạn", "Tỷ lệ đúng hạn (%)",
                "Đang giải quyết", "Đang quá hạn"]

        def rows(items):
            return [[r["name"], r["received"], r["settled"], r["on_time"], r["late"], r["rate"], r["in_process"], r["overdue"]]
                    for r in [*items, data["total"]]]

        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for title, items in (("Theo đơn vị", data["units"]), ("Theo lĩnh vực", data["fields"])):
            ws = wb.create_sheet(title)
            ws.append(head)
            for r in rows(items):
                ws.append(r)
        body = workbook_bytes(wb)
        resp = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = f'attachment; filename="cong-khai-{province.code}-{as_of.isoformat()}.xlsx"'
        return resp
    apologies = selectors.published_apologies(province=province, limit=20) if province is not None else []
    return render(request, "dossiers/public_transparency.html", {
        "provinces": provinces, "province": province, "data": data, "apologies": apologies, "partial": True})
