"""Demo: the demo province's dossiers since the two-tier model began (1/7/2025), driven by a cited profile.

The profile (`data/demo_profile.json`, explained in docs/demo.md) gives, each figure with its source:
the share received at commune desks vs the provincial centre, procedure groups by level (certification,
civil status, residence, land, household business, ...) mapped to catalogue codes with weights, the month
seasonality (Tết dip, post-Tết rush), the online share by month, supplement/rejection/withdrawal rates and
the lateness model (a low base rate by level, a few weak communes and departments, risky procedure groups,
worse first months of the two-tier model).

`CCHC_DEMO_DOSSIERS` (default 200000, as before) is how many dossiers in all; they are spread over every
working day from `history_from` (1/7/2025, the start of the two-tier model) to now, ≈140,000 a year. Deterministic (seeded) and
idempotent (skips a province that already has dossiers). Rows are written column-wise with executemany;
the audit log gets one summary event (historical demo rows are not individually audited).

Every dossier records the documents received (thành phần hồ sơ đã nhận), linked to the lines of its
procedure's checklist version in force on the receipt date (`Dossier.checklist`), so the desk shows them ticked
and the receipt (Mẫu 01) lists them with the copies each line asks for: every mandatory line, each optional
line ("trong trường hợp…") for a share of dossiers (`documents.optional_share` in the profile), and — for a
checklist made only of case tables ("Áp dụng: …") — the lines of one case. Online filings hold electronic
copies and present nothing at a counter. Written by one INSERT … SELECT (`_document_sql`), the case tables
column-wise like the dossiers (`_case_document_rows`).

Every handled dossier has a control sheet (phiếu kiểm soát): one step to a named specialist and, for
procedures of two working days or more, a second step to the unit head who signs. A late dossier has
exactly one late step, held by a named officer (the specialist who held it past the due time, or the head
who signed late); an on-time dossier has on-time steps, except a few where the specialist was late and the
head caught up — so step lateness follows dossier lateness instead of contradicting it.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from cchc.core.audit import audit_record

from . import rollups
from . import workflow as wf
from .models import (
    ApologyLetter,
    Dossier,
    DossierCounter,
    DossierDocument,
    DossierPause,
    DossierRating,
    DossierStep,
    PauseKind,
    PaymentStatus,
)
from .services import LOCAL_TZ, TOKEN_ALPHABET, TOKEN_LENGTH, calendar_stamp, get_calendar

PROFILE_PATH = Path(__file__).resolve().parent / "data" / "demo_profile.json"
DEFAULT_COUNT = 200_000
BATCH = 5000
SEED = 20261205
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Đức", "Kim", "Hoài", "Gia"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khoa", "Lan", "Linh", "Long", "Mai",
         "Nam", "Ngân", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Trang", "Tú", "Tuấn", "Vy", "Yến"]
COMPANIES = ["Công ty TNHH Phát Đạt", "Công ty CP Nông sản Tây Ninh", "Công ty TNHH Xây dựng Hòa Bình",
             "Hợp tác xã Dịch vụ Nông nghiệp Thành Công", "Công ty TNHH Thương mại Long An", "Doanh nghiệp tư nhân Minh Tâm"]
STREETS = ["Cách Mạng Tháng Tám", "Trần Hưng Đạo", "Nguyễn Trãi", "Lý Thường Kiệt", "Hùng Vương", "30 Tháng 4", "Quốc lộ 22"]
SUPPLEMENT_REASONS = ["Thiếu bản sao giấy tờ tùy thân", "Tờ khai chưa đủ chữ ký", "Thiếu bản vẽ kèm theo", "Giấy tờ đã hết hạn"]
REJECT_REASONS = ["Hồ sơ không thuộc thẩm quyền giải quyết", "Không đủ điều kiện theo quy định của thủ tục"]
APOLOGY_REASONS = ["Chờ kết quả xác minh của cơ quan liên quan", "Hồ sơ phức tạp cần lấy ý kiến nhiều cơ quan",
                   "Công chức thụ lý chưa hoàn thành thẩm định đúng hạn"]
TASK_HANDLE = "Thẩm định, giải quyết hồ sơ"
TASK_SIGN = "Phê duyệt, ký kết quả"
STAFF_PER_UNIT = 3


def load_profile(path: Path | None = None) -> dict:
    """The demo profile (hồ sơ mẫu năm demo), with its sources."""
    with open(path or PROFILE_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def _count(profile: dict) -> int:
    default = int(profile.get("scale", {}).get("dossiers", DEFAULT_COUNT))
    try:
        return max(0, int(os.environ.get("CCHC_DEMO_DOSSIERS", default)))
    except ValueError:
        return default


def build(ctx: dict, *, stdout=None) -> None:
    province = ctx.get("province")
    if province is None:
        return
    if Dossier.objects.filter(province=province).exists():
        return
    profile = load_profile()
    count = _count(profile)
    if count == 0:
        return
    started = timezone.now()
    with transaction.atomic():
        if connection.vendor == "sqlite":  # a large page cache: the bulk insert then rarely spills to disk
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-262144")
        summary = generate(ctx, province, count=count, now=timezone.now(), profile=profile)
        rolled = time.perf_counter()
        built = rollups.rebuild(province=province)  # the rows bypass the services: roll them up in one pass
        summary["rollup_rows"] = built["rows"]
        summary["rollup_seconds"] = round(time.perf_counter() - rolled, 1)
        audit_record(actor=None, action="dossiers.demo_generate", obj=province, data=summary)
    ctx["demo_dossiers"] = summary
    if stdout is not None:
        stdout.write(
            f"Hồ sơ demo: {summary['dossiers']} hồ sơ từ {summary['from']} ({summary.get('commune_share', 0):.1f}% tại cấp xã, "
            f"{summary.get('online_share', 0):.1f}% trực tuyến, {summary.get('on_time_rate', 0):.2f}% đúng hạn; "
            f"{(timezone.now() - started).total_seconds():.0f} s, trong đó số liệu tổng hợp {summary['rollup_seconds']:g} s)\n"
        )


# ------------------------------------------------------------------------------------------ writing

def _insert(model, columns: dict, n: int) -> None:
    """INSERT n rows given column-wise ({attname: list or scalar}), executemany in batches.

    Datetime/date columns are passed as epoch seconds (int64 arrays, -1 = NULL) / ordinals, converted here
    once per backend: naive UTC strings for SQLite (what Django's adapter writes), aware datetimes otherwise.
    Fields not given take their model default.
    """
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    cols = []
    for f in fields:
        kind = f.get_internal_type()
        value = columns.get(f.attname, columns.get(f.name, None)) if (f.attname in columns or f.name in columns) else None
        if value is None and f.attname not in columns and f.name not in columns:
            default = f.get_default() if f.has_default() else None
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = columns["__now__"]
                kind = "DateTimeField"
                value = np.full(n, int(default.timestamp()), dtype=np.int64)
            else:
                cols.append([default] * n)
                continue
        if kind == "DateTimeField":
            cols.append(_datetimes(np.asarray(value, dtype=np.int64)))
        elif kind == "DateField":
            cols.append(_dates(np.asarray(value, dtype=np.int64)))
        elif kind == "DecimalField":
            cols.append([None if v is None else ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places) for v in value])
        elif isinstance(value, np.ndarray):
            cols.append(value.tolist())
        elif isinstance(value, list):
            cols.append(value)
        else:
            cols.append([value] * n)
    sql = (f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({', '.join(ops.quote_name(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = list(zip(*cols, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, n, BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])


def _datetimes(epoch: np.ndarray) -> list:
    if connection.vendor == "sqlite":
        text = np.datetime_as_string(np.where(epoch < 0, 0, epoch).astype("datetime64[s]"), unit="s")
        text = np.char.replace(text, "T", " ").astype(object)
        text[epoch < 0] = None
        return text.tolist()
    base = datetime(1970, 1, 1, tzinfo=UTC)
    return [None if x < 0 else base + timedelta(seconds=x) for x in epoch.tolist()]


def _dates(ordinals: np.ndarray) -> list:
    if connection.vendor == "sqlite":
        days = np.where(ordinals < 0, 0, ordinals - date(1970, 1, 1).toordinal()).astype("datetime64[D]")
        text = np.datetime_as_string(days).astype(object)
        text[ordinals < 0] = None
        return text.tolist()
    return [None if x < 0 else date.fromordinal(x) for x in ordinals.tolist()]


# ------------------------------------------------------------------------------------------ set-up

def _ensure_publications(province, profile: dict, centre, departments: dict) -> dict:
    """Make sure every procedure of the profile is published at its level, online, with its legal time.

    The national catalogue has no processing time for some everyday procedures (chứng thực, bản sao trích
    lục, đăng ký hộ kinh doanh), so the catalogue demo could not publish them; the profile gives the time
    from the regulation it cites. Publications the profile covers get at least a partial online service.
    Returns {(code, level): ProvinceProcedure}.
    """
    from cchc.catalog.demo import EFFECTIVE_FROM, PUBLISH_DECISION
    from cchc.catalog.models import OnlineLevel, Procedure, ProvinceProcedure

    wanted = {(p["code"], g["level"]): (g, p) for g in profile["groups"] for p in g["procedures"]}
    procs = {p.code: p for p in Procedure.objects.filter(code__in={c for c, _ in wanted})}
    existing = {(pp.procedure.code, pp.level): pp for pp in ProvinceProcedure.objects.filter(
        province=province, procedure__code__in=list(procs), effective_to__isnull=True).select_related("procedure")}
    out = {}
    for (code, level), (group, item) in wanted.items():
        proc = procs.get(code)
        if proc is None:
            continue
        pp = existing.get((code, level))
        online = OnlineLevel.PARTIAL if item.get("online") == "partial" else OnlineLevel.FULL
        if pp is None:
            if "time" not in item:
                continue
            value, unit = item["time"]
            handler = departments.get(group.get("department")) if level == "province" else None
            pp = ProvinceProcedure.objects.create(
                province=province, procedure=proc, level=level, desk=centre if level == "province" else None,
                handling_unit=handler, time_value=Decimal(str(value)), time_unit=unit, online_level=online,
                decision_no=PUBLISH_DECISION, effective_from=EFFECTIVE_FROM, accepts_post=True)
        elif pp.online_level == OnlineLevel.NONE:
            pp.online_level = online
            pp.save(update_fields=["online_level"])
        out[(code, level)] = pp
    return out


def _staff(province, communes_desks, handlers, centre) -> dict:
    """Named officers for the control sheets: per commune a desk officer, specialists and the chairman; per
    handling department specialists and the head; officers at the provincial centre.

    Existing demo accounts (chuyenvien.<xã>, chutich.<xã>, motcua.<xã>, chuyenvien.tuphap, giamdoc.tuphap,
    motcua.tinh) are reused, so logging in as them shows their own queues and late steps. New accounts share
    the demo password hash and are not listed among the demo logins.
    """
    from django.contrib.auth.hashers import make_password

    from cchc.accounts.demo import DEMO_PASSWORD, commune_slug
    from cchc.accounts.models import Role, User

    rng = np.random.default_rng(SEED + 1)
    users = {u.username: u for u in User.objects.filter(unit__province=province) | User.objects.filter(unit=province)}
    by_unit: dict[tuple, list] = {}
    for u in users.values():
        by_unit.setdefault((u.unit_id, u.role), []).append(u)
    password = None
    new = []

    def name() -> str:
        return f"{SURNAMES[rng.integers(len(SURNAMES))]} {MIDDLE[rng.integers(len(MIDDLE))]} {GIVEN[rng.integers(len(GIVEN))]}"

    def ensure(unit, role, prefix: str, slug: str, count: int) -> list:
        nonlocal password
        have = sorted(by_unit.get((unit.pk, role), []), key=lambda u: u.username)
        k = 1
        while len(have) < count:
            username = f"{prefix}.{slug}" if k == 1 else f"{prefix}{k}.{slug}"
            k += 1
            if username in users:
                continue
            password = password or make_password(DEMO_PASSWORD)
            u = User(username=username, role=role, unit=unit, full_name=name(), password=password)
            users[username] = u
            new.append(u)
            have.append(u)
        return have[:count]

    staff: dict = {}
    for commune, desk in communes_desks:
        slug = commune_slug(commune)
        staff[commune.pk] = {"desk": ensure(desk, Role.ONE_STOP_OFFICER, "motcua", slug, 1),
                             "specialists": ensure(commune, Role.SPECIALIST, "chuyenvien", slug, STAFF_PER_UNIT),
                             "heads": ensure(commune, Role.UNIT_HEAD, "chutich", slug, 1)}
    for unit in handlers:
        slug = (unit.code.split("-")[-1] or unit.code).lower()
        staff[unit.pk] = {"specialists": ensure(unit, Role.SPECIALIST, "chuyenvien", slug, STAFF_PER_UNIT),
                          "heads": ensure(unit, Role.UNIT_HEAD, "giamdoc", slug, 1)}
    staff[centre.pk] = {"desk": ensure(centre, Role.ONE_STOP_OFFICER, "motcua", "tinh", 3)}
    if new:
        User.objects.bulk_create(new, batch_size=500)
        fresh = {u.username: u.pk for u in User.objects.filter(username__in=[u.username for u in new])}
        for u in new:
            u.pk = u.id = fresh[u.username]
    return staff


def _unit_sizes(communes, profile: dict, rng) -> np.ndarray:
    """Relative size of each commune (share of the commune dossiers): population is not in the units data,
    so a skewed distribution (lognormal, wards larger) stands in for it — see the profile's `units` note."""
    spec = profile.get("units", {}).get("commune_size", {})
    sigma = float(spec.get("sigma", 0.55))
    ward = float(spec.get("ward_factor", 1.6))
    pops = []
    for c in communes:
        pop = getattr(c, "population", None)
        pops.append(float(pop) if pop else np.nan)
    pops = np.array(pops, dtype=float)
    if np.isnan(pops).any():
        draw = rng.lognormal(0.0, sigma, size=len(communes))
        draw *= np.array([ward if c.kind == "ward" else 1.0 for c in communes])
        large = set(spec.get("large", []))
        draw *= np.array([float(spec.get("large_factor", 1.0)) if c.short_name in large else 1.0 for c in communes])
        pops = np.where(np.isnan(pops), draw, pops)
    return pops / pops.sum()


def _zipf(k: int, rng) -> np.ndarray:
    if k == 0:
        return np.zeros(0)
    w = 1.0 / np.arange(1, k + 1) ** 1.2
    rng.shuffle(w)
    return w / w.sum()


def _level_mix(level: str, profile: dict, pubs_by_key: dict, all_pubs: list, rng):
    """Publications of one level and the probability of each: the profile's groups, then the tail."""
    groups = [g for g in profile["groups"] if g["level"] == level]
    tail_share = float(profile.get("tail", {}).get(level, 0.0))
    pubs, probs, group_of = [], [], []
    covered = set()
    gsum = sum(float(g["weight"]) for g in groups) or 1.0
    for gi, g in enumerate(groups):
        items = [(pubs_by_key[(p["code"], level)], float(p["weight"])) for p in g["procedures"] if (p["code"], level) in pubs_by_key]
        wsum = sum(w for _, w in items)
        for pp, w in items:
            pubs.append(pp)
            probs.append((1 - tail_share) * float(g["weight"]) / gsum * w / wsum)
            group_of.append(gi)
            covered.add(pp.pk)
    rest = [pp for pp in all_pubs if pp.pk not in covered]
    if rest and tail_share:
        for pp, w in zip(rest, _zipf(len(rest), rng), strict=True):
            pubs.append(pp)
            probs.append(tail_share * w)
            group_of.append(-1)
    p = np.array(probs, dtype=float)
    return pubs, p / p.sum(), np.array(group_of), groups


# ------------------------------------------------------------------------------------------ received documents

def _checklist_in_force(procedure_ids: list[int], received_ord: np.ndarray) -> np.ndarray:
    """Id of the checklist version in force on each receipt date (catalog.selectors.checklist_in_force, in bulk:
    the newest `effective_from` ≤ the date, then the highest version); -1 where the procedure had none."""
    from cchc.catalog.models import Checklist

    versions: dict[int, list[tuple[int, int, int]]] = {}
    for pid, pk, eff, ver in Checklist.objects.filter(procedure_id__in=set(procedure_ids)).values_list(
            "procedure_id", "pk", "effective_from", "version"):
        versions.setdefault(pid, []).append((eff.toordinal(), ver, pk))
    out = np.full(len(procedure_ids), -1, dtype=np.int64)
    proc = np.asarray(procedure_ids, dtype=np.int64)
    for pid, rows in versions.items():
        rows.sort()
        starts = np.array([r[0] for r in rows], dtype=np.int64)
        ids = np.array([r[2] for r in rows], dtype=np.int64)
        mask = proc == pid
        pos = np.searchsorted(starts, received_ord[mask], side="right") - 1
        out[mask] = np.where(pos >= 0, ids[np.maximum(pos, 0)], -1)
    return out


def _document_sql(province_id: int, checklist_ids: list[int], optional_share: float) -> int:
    """INSERT … SELECT the documents of dossiers whose checklist has a mandatory line, in one statement (the rows
    never pass through Python: ≈400,000 rows in about a second). Every mandatory line; each optional line for
    `optional_share` of the dossiers, picked by a fixed hash of (dossier, line) — deterministic like the seeded
    generator and identical on SQLite and PostgreSQL; no line to present at a counter for online filings.
    Rows come in dossier then checklist order, so the receipt lists them in the checklist's order."""
    if not checklist_ids:
        return 0
    q = connection.ops.quote_name
    doc, dossier, item = (q(m._meta.db_table) for m in (DossierDocument, Dossier, _item_model()))
    per_cent = max(0, min(100, round(optional_share * 100)))
    marks = ", ".join(["%s"] * len(checklist_ids))
    sql = (
        f"INSERT INTO {doc} (dossier_id, required_document_id, kind, name, is_electronic, file_path, original_name, "
        f"content_type, size, sha256, uploaded_by_id, uploaded_at) "
        f"SELECT d.id, i.id, %s, i.name, CASE WHEN d.channel = %s THEN TRUE ELSE FALSE END, '', '', '', 0, '', NULL, "
        f"d.received_at FROM {dossier} d JOIN {item} i ON i.checklist_id = d.checklist_id "
        f"WHERE d.province_id = %s AND d.checklist_id IN ({marks}) "
        f"AND (i.mandatory = TRUE OR ((d.id * 7919 + i.id * 104729) %% 100) < %s) "
        f"AND NOT (i.kind = %s AND d.channel = %s) "
        f"ORDER BY d.id, i.{q('order')}, i.id"
    )
    from cchc.catalog.models import DocumentKind

    params = [DossierDocument.KIND_INPUT, "online", province_id, *checklist_ids, per_cent, DocumentKind.PRESENT, "online"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(0, cursor.rowcount)


def _item_model():
    from cchc.catalog.models import ChecklistItem

    return ChecklistItem


def _case_document_rows(checklist_of: np.ndarray, online: np.ndarray, rng) -> tuple[list[int], np.ndarray, list]:
    """Checklists whose lines are all conditional (case tables, "Áp dụng: …" notes): each dossier gets the lines of
    one case, or one line when there are no cases. Returns (ids of checklists with a mandatory line — for
    `_document_sql` —, dossier index, checklist line) for the others, in dossier then checklist order."""
    from cchc.catalog.models import ChecklistItem, DocumentKind

    items: dict[int, list] = {}
    for it in ChecklistItem.objects.filter(checklist_id__in=set(checklist_of[checklist_of >= 0].tolist())).order_by("order", "id"):
        items.setdefault(it.checklist_id, []).append(it)
    with_mandatory = sorted(cid for cid, lines in items.items() if any(it.mandatory for it in lines))
    pos_parts, item_parts = [], []
    for cid, lines in items.items():
        if cid in with_mandatory:
            continue
        idx = np.flatnonzero(checklist_of == cid)
        if not len(idx):
            continue
        cases: dict[str, list[int]] = {}
        for k, it in enumerate(lines):
            if it.note.startswith("Áp dụng:"):
                cases.setdefault(it.note.split(".", 1)[0], []).append(k)
        groups = list(cases.values()) or [[k] for k in range(len(lines))]
        pick = rng.integers(0, len(groups), size=len(idx))
        for g, members in enumerate(groups):
            sel = idx[pick == g]
            for k in members:
                keep = sel[~(online[sel] & (lines[k].kind == DocumentKind.PRESENT))]
                pos_parts.append(keep)
                item_parts.append([lines[k]] * len(keep))
    if not pos_parts:
        return with_mandatory, np.zeros(0, dtype=np.int64), []
    pos = np.concatenate(pos_parts)
    flat = [it for part in item_parts for it in part]
    order = np.lexsort((np.array([it.order for it in flat], dtype=np.int64), pos))
    return with_mandatory, pos[order], [flat[k] for k in order.tolist()]


# ------------------------------------------------------------------------------------------ generator

def generate(ctx: dict, province, *, count: int, now: datetime, profile: dict | None = None) -> dict:  # noqa: C901, PLR0915
    """Generate and write the demo dossiers; return the summary (figures to compare with the profile)."""
    from cchc.catalog.models import ProvinceProcedure
    from cchc.units.models import Unit, UnitKind

    profile = profile or load_profile()
    rng = np.random.default_rng(SEED)
    cal = get_calendar(province)
    stamp = calendar_stamp(cal)
    daily = int(getattr(cal, "_daily", 28800))
    centre = ctx.get("service_centre") or Unit.objects.filter(province=province, kind=UnitKind.SERVICE_CENTRE).first()
    desks = list(ctx.get("desks") or Unit.objects.filter(province=province, kind=UnitKind.ONE_STOP_DESK).order_by("code"))
    desks = [d for d in desks if d.parent_id]
    departments = dict(ctx.get("departments") or {u.code.split("-S-")[-1].lower(): u for u in
                                                  Unit.objects.filter(province=province, kind=UnitKind.DEPARTMENT)})
    if centre is None:
        return {"dossiers": 0, "skipped": "no service centre"}
    profiled = _ensure_publications(province, profile, centre, departments)
    active = list(ProvinceProcedure.objects.filter(province=province, effective_to__isnull=True)
                  .select_related("procedure", "handling_unit").order_by("procedure__code", "level"))
    comm_all = [p for p in active if p.level == "commune"]
    prov_all = [p for p in active if p.level != "commune"]
    if not prov_all:
        return {"dossiers": 0, "skipped": "no published procedures"}
    if not desks or not comm_all:
        desks = []
    communes = [d.parent for d in desks]

    # ---- when: every working day since the two-tier model began, weighted by month
    start_day = date.fromisoformat(profile.get("scale", {}).get("history_from", "2025-07-01"))
    today = timezone.localtime(now, LOCAL_TZ).date()
    span = [start_day + timedelta(days=k) for k in range((today - start_day).days + 1)]
    workdays = [d for d in span if cal.is_working_day(d)]
    month_w = {int(k): float(v) for k, v in profile.get("months", {}).get("weights", {}).items()}
    day_w = np.array([month_w.get(d.month, 1.0) for d in workdays])
    n = max(1, int(count))
    day_pick = rng.choice(len(workdays), size=n, p=day_w / day_w.sum())
    day_ord = np.array([d.toordinal() for d in workdays], dtype=np.int64)[day_pick]
    ym = np.array([d.year * 100 + d.month for d in workdays], dtype=np.int64)[day_pick]
    seconds_in_day = np.where(rng.random(n) < 0.6, rng.integers(7 * 3600 + 1800, 11 * 3600 + 1800, size=n),
                              rng.integers(13 * 3600 + 1800, 17 * 3600, size=n))
    offset = int(datetime(2026, 1, 1, tzinfo=LOCAL_TZ).utcoffset().total_seconds())
    epoch_ord = date(1970, 1, 1).toordinal()
    received = (day_ord - epoch_ord) * 86400 + seconds_in_day - offset
    now_epoch = int(now.timestamp())
    received = np.minimum(received, now_epoch - 600)
    order = np.argsort(received, kind="stable")
    received, ym = received[order], ym[order]

    # ---- where
    share_commune = float(profile.get("levels", {}).get("commune", 0.92)) if desks else 0.0
    at_commune = rng.random(n) < share_commune
    sizes = _unit_sizes(communes, profile, rng) if desks else np.zeros(0)
    desk_idx = rng.choice(len(desks), size=n, p=sizes) if desks else np.zeros(n, dtype=np.int64)

    # ---- what
    pubs_by_key = {k: v for k, v in profiled.items()}
    c_pubs, c_p, c_group, c_groups = _level_mix("commune", profile, pubs_by_key, comm_all, rng) if desks else ([], None, None, [])
    p_pubs, p_p, p_group, p_groups = _level_mix("province", profile, pubs_by_key, prov_all, rng)
    pub_i = np.zeros(n, dtype=np.int64)
    n_c = int(at_commune.sum())
    if n_c:
        pub_i[at_commune] = rng.choice(len(c_pubs), size=n_c, p=c_p)
    pub_i[~at_commune] = rng.choice(len(p_pubs), size=n - n_c, p=p_p)
    pubs = [c_pubs[i] if c else p_pubs[i] for c, i in zip(at_commune.tolist(), pub_i.tolist(), strict=True)]
    group_late = np.ones(n)
    gl_c = np.array([float(g.get("late_factor", 1.0)) for g in c_groups] + [1.5])
    gl_p = np.array([float(g.get("late_factor", 1.0)) for g in p_groups] + [1.5])
    if n_c:
        group_late[at_commune] = gl_c[c_group[pub_i[at_commune]]]
    group_late[~at_commune] = gl_p[p_group[pub_i[~at_commune]]]
    dept_key = {g["key"]: g.get("department") for g in profile["groups"]}
    p_dept = [dept_key.get(p_groups[g]["key"]) if g >= 0 else None for g in p_group.tolist()]
    dept_list = sorted(departments.values(), key=lambda u: u.code)

    # handling unit: the commune (its desk's parent) or the publication's handler / the group's department
    handler_of = []
    for i in range(n):
        if at_commune[i]:
            handler_of.append(communes[desk_idx[i]])
        else:
            p = pubs[i]
            h = p.handling_unit or departments.get(p_dept[pub_i[i]] or "") or (dept_list[pub_i[i] % len(dept_list)] if dept_list else centre)
            handler_of.append(h)

    # ---- channel
    online_by_month = {int(k.replace("-", "")): float(v) for k, v in profile.get("online", {}).get("by_month", {}).items()}
    p_online = np.array([online_by_month.get(int(x), 0.9) for x in ym])
    post = float(profile.get("online", {}).get("post", 0.02))
    r = rng.random(n)
    no_online = np.array([p.online_level == "none" for p in pubs])
    channel = np.where(r < p_online, "online", np.where(r < p_online + post, "post", "counter")).astype(object)
    channel[(channel == "online") & no_online] = "counter"

    # ---- due dates: the engine's time-unit rule (services.clock_time_unit), no fallback
    cutoff = {(it["code"], g["level"]) for g in profile["groups"] for it in g["procedures"] if it.get("cutoff")}
    has_cutoff = np.array([(p.procedure.code, p.level) in cutoff for p in pubs])
    units, values, counted, due = due_dates(cal, pubs, received, has_cutoff=has_cutoff, offset=offset)
    same = units == "same_day"
    original_due = due.copy()
    span_days = np.maximum(0, (due - counted) // 86400 * 5 // 7)  # rough working days allowed
    span_days = np.where(units == "working_days", values.astype(np.int64), np.where(same, 0, span_days))

    def snap(t: np.ndarray) -> np.ndarray:
        """The first working instant at or after t (inside working hours of a working day)."""
        return cal.due_bulk(t.astype("datetime64[s]"), np.zeros(len(t), dtype=np.int64)).astype(np.int64)

    # ---- outcomes
    oc = profile.get("outcomes", {})
    rate = {lvl: oc.get(lvl, {}) for lvl in ("commune", "province")}

    def by_level(key: str) -> np.ndarray:
        return np.where(at_commune, float(rate["commune"].get(key, 0)), float(rate["province"].get(key, 0)))

    r = rng.random(n)
    rej_p, wd_p = by_level("rejected"), by_level("withdrawn")
    rejected = r < rej_p
    withdrawn = (r >= rej_p) & (r < rej_p + wd_p)
    settled_plan = ~(rejected | withdrawn)
    supplemented = (rng.random(n) < by_level("supplement")) & (span_days >= 1) & settled_plan

    # ---- lateness: level base × unit factor × procedure group × early months of the two-tier model
    lat = profile.get("lateness", {})
    late_rate = lat.get("late_rate", {})
    sigma = float(lat.get("unit_sigma", 0.5))
    unit_f_comm = rng.lognormal(0, sigma, size=max(1, len(desks)))
    weak = lat.get("weak_communes", {})
    weak_comm = list(rng.choice(len(desks), size=min(len(desks), int(weak.get("count", 0))), replace=False)) if desks else []
    named = [i for i, c in enumerate(communes) if c.short_name in set(weak.get("include", []))]
    weak_comm = (named + [i for i in weak_comm if i not in named])[:max(len(weak_comm), len(named))]
    unit_f_comm[weak_comm] *= float(weak.get("factor", 1.0))
    handler_ids = sorted({h.pk for h, c in zip(handler_of, at_commune.tolist(), strict=True) if not c})
    unit_f_dept = dict(zip(handler_ids, rng.lognormal(0, sigma, size=len(handler_ids)).tolist(), strict=True))
    wd = lat.get("weak_departments", {})
    volume: dict = {}
    for h, c in zip(handler_of, at_commune.tolist(), strict=True):
        if not c:
            volume[h.pk] = volume.get(h.pk, 0) + 1
    large = [pk for pk in handler_ids if volume[pk] >= np.median(list(volume.values()))]  # a weak department is a busy one
    for pk in rng.choice(large, size=min(len(large), int(wd.get("count", 0))), replace=False).tolist() if large else []:
        unit_f_dept[pk] *= float(wd.get("factor", 1.0))
    unit_f = np.where(at_commune, unit_f_comm[desk_idx], np.array([unit_f_dept.get(h.pk, 1.0) for h in handler_of]))
    early = {int(k.replace("-", "")): float(v) for k, v in lat.get("early_months", {}).items()}
    month_f = np.array([early.get(int(x), 1.0) for x in ym])
    raw = unit_f * group_late * month_f
    p_late = np.zeros(n)
    for lvl, mask in (("commune", at_commune), ("province", ~at_commune)):
        m = mask & settled_plan
        if m.any():
            p_late[mask] = float(late_rate.get(lvl, 0.01)) * raw[mask] / raw[m].mean()
    late = settled_plan & (rng.random(n) < np.minimum(p_late, 0.6))

    # supplement pauses: 1–5 working days of the applicant's time, moving the due time by as much
    k_pause = rng.integers(1, 6, size=n)
    pause_start = snap(counted + ((original_due - counted) * rng.random(n) * 0.3).astype(np.int64) + 60)
    pause_end = np.where(supplemented, cal.due_bulk(pause_start.astype("datetime64[s]"), np.where(supplemented, k_pause, 0)).astype(np.int64), 0)
    pause_ws = np.where(supplemented, k_pause * daily, 0)
    shifted = cal.due_bulk(due.astype("datetime64[s]"), np.where(supplemented, k_pause, 0)).astype(np.int64)
    due = np.where(supplemented & (pause_start < now_epoch), shifted, due)
    supplemented &= pause_start < now_epoch  # a planned pause that has not happened yet did not happen

    # settlement: a share of the allowed time, or 1–5 working days after the due time when late
    frac = rng.beta(2.0, 3.5, size=n)
    settle = counted + ((due - counted) * frac).astype(np.int64)
    settle = np.maximum(settle, np.where(supplemented, pause_end + 600, counted + 600))
    settle = np.minimum(snap(settle), due)  # officers settle in working hours, never after the due time
    extra_days = rng.choice([1, 1, 1, 2, 2, 3, 4, 5], size=n)
    late_settle = cal.due_bulk(due.astype("datetime64[s]"), extra_days).astype(np.int64) + rng.integers(60, 3 * 3600, size=n)
    settle = np.where(late, np.maximum(snap(late_settle), due + 60), settle)
    # a few dossiers overdue right now (due in the last working week, not settled yet): early-warning content
    recent = settled_plan & ~late & (due < now_epoch - 3600) & (due > now_epoch - 7 * 86400)
    overdue_now = recent & (rng.random(n) < np.minimum(0.5, p_late * float(lat.get("overdue_now_factor", 3.0))))
    late |= overdue_now
    settle = np.where(overdue_now, now_epoch + rng.integers(3600, 3 * 86400, size=n), settle)
    close_other = snap(counted + np.maximum(600, ((due - counted) * rng.random(n) * 0.5).astype(np.int64)))
    open_now = (settled_plan & (settle > now_epoch)) | ((rejected | withdrawn) & (close_other > now_epoch))
    returned = snap(settle + (rng.exponential(1.2, size=n) * 86400).astype(np.int64) + 1800)
    not_collected = returned > now_epoch
    just_in = open_now & (now_epoch - received < 6 * 3600) & (rng.random(n) < 0.5)

    # ---- codes: sequence per agency per local day, in order of receipt
    agency = [(desks[d].agency_id or desks[d].code) if c else (centre.agency_id or centre.code)
              for c, d in zip(at_commune.tolist(), desk_idx.tolist(), strict=True)]
    local_day = (received + offset) // 86400
    seq: dict[tuple, int] = {}
    codes = []
    for a, d in zip(agency, local_day.tolist(), strict=True):
        k = (a, d)
        seq[k] = seq.get(k, 0) + 1
        codes.append(f"{a}-{date.fromordinal(d + epoch_ord):%y%m%d}-{seq[k]:04d}")
    alphabet = np.array(list(TOKEN_ALPHABET))
    tokens = ["".join(row) for row in alphabet[rng.integers(0, len(alphabet), size=(n, TOKEN_LENGTH))]]

    # ---- status per dossier
    status = np.empty(n, dtype=object)
    status[:] = wf.RETURNED
    status[late] = wf.RETURNED_LATE
    status[settled_plan & not_collected] = wf.RESULT_READY
    status[rejected] = wf.REJECTED
    status[withdrawn] = wf.WITHDRAWN
    paused_now = supplemented & open_now & (pause_end > now_epoch)
    status[open_now] = wf.IN_PROCESS
    status[paused_now] = wf.SUPPLEMENT_REQUESTED
    status[just_in & ~paused_now] = wf.RECEIVED
    is_settled = settled_plan & ~open_now
    is_closed_other = (rejected | withdrawn) & ~open_now
    # a dossier paused now keeps its original due until the applicant answers
    due = np.where(paused_now, original_due, due)

    # ---- officers and steps
    from cchc.accounts.models import User  # noqa: F401  (staff rows are created by _staff)

    handler_units = sorted({h.pk: h for h, c in zip(handler_of, at_commune.tolist(), strict=True) if not c}.values(), key=lambda u: u.code)
    staff = _staff(province, list(zip(communes, desks, strict=True)), handler_units, centre)
    has_steps = (status != wf.RECEIVED) & ~(rejected | withdrawn)
    two_steps = span_days >= 2
    spec_pick = rng.choice(STAFF_PER_UNIT, size=n, p=[0.5, 0.3, 0.2])
    # the late step: the specialist held it past the due time, or the head signed late
    who = lat.get("late_step", {"specialist": 0.75, "head": 0.25})
    late_by_spec = late & (~two_steps | (rng.random(n) < float(who.get("specialist", 0.75))))
    spec_pick = np.where(late, np.where(rng.random(n) < 0.7, 0, spec_pick), spec_pick)  # a slow officer per unit
    slip = two_steps & is_settled & ~late & (rng.random(n) < float(lat.get("late_step_on_time_dossier", 0.004)))
    step1_days = np.where(two_steps, np.maximum(1, (span_days * 0.7).astype(np.int64)), 0)
    step1_due = np.where(two_steps, cal.due_bulk(counted.astype("datetime64[s]"), step1_days).astype(np.int64), due)
    step1_due = np.minimum(step1_due, due)
    # when the specialist hands over: before the step's due (on time), after the dossier's due (late specialist)
    t1_ok = counted + ((settle - counted) * rng.uniform(0.5, 0.9, size=n)).astype(np.int64)
    t1_ok = np.minimum(snap(t1_ok), step1_due)
    t1_slip = snap(step1_due + ((due - step1_due) * rng.uniform(0.2, 0.6, size=n)).astype(np.int64) + 60)
    t1_late = np.maximum(snap(settle - rng.integers(1800, 4 * 3600, size=n)), due + 60)
    t1 = np.where(late_by_spec & two_steps, t1_late, np.where(slip, np.minimum(t1_slip, settle - 60), t1_ok))
    head_days = np.maximum(1, span_days - step1_days)
    step2_due = np.where(late_by_spec, cal.due_bulk(t1.astype("datetime64[s]"), head_days).astype(np.int64), due)

    # ---- applicants
    org = rng.random(n) < np.where(at_commune, 0.04, 0.35)
    s_i, m_i, g_i = (rng.integers(0, len(x), size=n) for x in (SURNAMES, MIDDLE, GIVEN))
    c_i = rng.integers(0, len(COMPANIES), size=n)
    ids = rng.integers(10**11, 10**12 - 1, size=n)
    phones = rng.integers(10**8, 10**9 - 1, size=n)
    house = rng.integers(1, 400, size=n)
    street = rng.integers(0, len(STREETS), size=n)
    e_docs = np.where(channel == "online", rng.random(n) < 0.97, rng.random(n) < 0.75)
    e_result_r = rng.random(n)
    result_channel = np.where((channel == "online") & (e_result_r < 0.6), "online", np.where(channel == "post", "post", "counter")).astype(object)
    has_e_result = is_settled & (e_result_r < np.where(result_channel == "online", 0.9, 0.35))

    # apology letters: most late dossiers get one before their due time (Tây Ninh publishes them)
    apology_share = float(oc.get("apology_share_of_late", 0.9))
    apology_at = np.minimum(snap(np.maximum(received + 600, due - 20 * 3600)), due)
    apologised = late & (rng.random(n) < apology_share) & (status != wf.SUPPLEMENT_REQUESTED) & (apology_at < now_epoch)
    promised = cal.due_bulk(due.astype("datetime64[s]"), extra_days + 1).astype(np.int64) + 3600

    none = np.full(n, -1, dtype=np.int64)
    to_date = lambda epoch: (epoch + offset) // 86400 + epoch_ord  # noqa: E731 - local date ordinal of an instant
    unit_ids = [desks[d].pk if c else centre.pk for c, d in zip(at_commune.tolist(), desk_idx.tolist(), strict=True)]
    handling_ids = [h.pk for h in handler_of]
    handling_ids = [pubs[i].handling_unit_id if (status[i] == wf.RECEIVED and not at_commune[i]) else handling_ids[i] for i in range(n)]
    assignee = [None] * n
    for i in np.flatnonzero(open_now & has_steps).tolist():
        st = staff.get(handler_of[i].pk, {})
        holder = st.get("heads") if (two_steps[i] and t1[i] <= now_epoch) else st.get("specialists")
        if holder:
            assignee[i] = holder[min(spec_pick[i], len(holder) - 1)].pk if holder is st.get("specialists") else holder[0].pk
    fee = [p.fee_amount for p in pubs]
    # thành phần hồ sơ: the checklist version in force on the receipt date, as intake records it
    checklist_of = _checklist_in_force([p.procedure_id for p in pubs], to_date(received))
    version = np.select([open_now, is_closed_other, status == wf.RESULT_READY], [2, 3, 4], 5)
    columns = {
        "__now__": now,
        "code": codes, "lookup_token": tokens, "status": status.tolist(), "version": version.tolist(),
        "procedure_id": [p.procedure_id for p in pubs], "province_procedure_id": [p.pk for p in pubs],
        "unit_id": unit_ids, "province_id": province.pk, "handling_unit_id": handling_ids, "assignee_id": assignee,
        "channel": channel.tolist(), "result_channel": result_channel.tolist(),
        "applicant_kind": np.where(org, "organisation", "person").tolist(),
        "applicant_name": [COMPANIES[c_i[i]] if org[i] else f"{SURNAMES[s_i[i]]} {MIDDLE[m_i[i]]} {GIVEN[g_i[i]]}" for i in range(n)],
        "applicant_id_number": [f"{ids[i] % 10**10:010d}" if org[i] else f"{ids[i]:012d}" for i in range(n)],
        "applicant_phone": [f"09{x % 10**8:08d}" for x in phones.tolist()], "applicant_email": "",
        "applicant_address": [f"Số {h}, đường {STREETS[s]}" for h, s in zip(house.tolist(), street.tolist(), strict=True)],
        "applicant_user_id": None,
        "submitted_at": np.where(channel == "online", received - 900, none), "received_at": received, "counted_from": counted,
        "due_at": due, "due_date": to_date(due), "original_due_at": original_due,
        "promised_at": np.where(apologised, promised, none),
        "time_value": [p.time_value for p in pubs], "time_unit": units.tolist(), "calendar_stamp": stamp,
        "settled_at": np.where(is_settled, settle, none), "settled_on": np.where(is_settled, to_date(settle), none),
        "returned_at": np.where(is_settled & ~not_collected, returned, none),
        "closed_at": np.where(is_settled, settle, np.where(is_closed_other, close_other, none)),
        "paused_since": np.where(paused_now, pause_start, none),
        "supplement_count": (supplemented & ~(is_closed_other & (pause_start >= close_other))).astype(int).tolist(),
        "apology_count": apologised.astype(int).tolist(),
        "status_reason": [REJECT_REASONS[i % 2] if (rejected[i] and is_closed_other[i]) else ("Người nộp rút hồ sơ" if withdrawn[i] and is_closed_other[i] else "") for i in range(n)],
        "fee_amount": fee,
        "payment_status": [PaymentStatus.NOT_REQUIRED if not f else (PaymentStatus.PAID_ONLINE if ch == "online" else PaymentStatus.PAID_COUNTER)
                           for f, ch in zip(fee, channel.tolist(), strict=True)],
        "payment_reference": "", "paid_at": none,
        "has_electronic_documents": e_docs.tolist(), "has_electronic_result": has_e_result.tolist(),
        "created_by_id": None, "updated_by_id": None,
        "checklist_id": [None if c < 0 else c for c in checklist_of.tolist()],
    }
    _insert(Dossier, columns, n)
    pk_of = dict(Dossier.objects.filter(province=province).values_list("code", "pk"))
    pks = np.array([pk_of[c] for c in codes], dtype=np.int64)

    # ---- received documents (thành phần hồ sơ đã nhận), linked to the lines of the dossier's checklist version
    share = float(profile.get("documents", {}).get("optional_share", 0.15))
    # (own random stream: adding documents leaves every other figure of the seeded demo as it was)
    with_mandatory, doc_pos, doc_items = _case_document_rows(checklist_of, channel == "online", np.random.default_rng(SEED + 2))
    n_docs = _document_sql(province.pk, with_mandatory, share)
    if doc_items:
        _insert(DossierDocument, {
            "dossier_id": pks[doc_pos], "required_document_id": [it.pk for it in doc_items], "kind": DossierDocument.KIND_INPUT,
            "name": [it.name for it in doc_items], "is_electronic": (channel == "online")[doc_pos].tolist(),
            "file_path": "", "original_name": "", "content_type": "", "size": 0, "sha256": "", "uploaded_by_id": None,
            "uploaded_at": received[doc_pos]}, len(doc_items))
        n_docs += len(doc_items)

    # ---- counters so live intake continues the sequences
    # (the province has no dossier yet, so counters of its agencies can only be stale: replace them)
    DossierCounter.objects.filter(agency_id__in={a for a, _ in seq}).delete()
    _insert(DossierCounter, {"agency_id": [a for a, _ in seq], "day": np.array([d + epoch_ord for _, d in seq], dtype=np.int64),
                             "last_seq": list(seq.values())}, len(seq))

    # ---- steps (phiếu kiểm soát)
    s_rows: dict[str, list] = {k: [] for k in ("dossier_id", "seq", "from_unit_id", "from_user_id", "to_unit_id", "to_user_id",
                                                "task", "sent_at", "allowance_seconds", "due_at", "finished_at", "on_time")}

    def add_step(i, seq_no, from_unit, from_user, to_unit, to_user, task, sent, step_due, finished, allowance):
        s_rows["dossier_id"].append(int(pks[i]))
        s_rows["seq"].append(seq_no)
        s_rows["from_unit_id"].append(from_unit)
        s_rows["from_user_id"].append(from_user)
        s_rows["to_unit_id"].append(to_unit)
        s_rows["to_user_id"].append(to_user)
        s_rows["task"].append(task)
        s_rows["sent_at"].append(sent)
        s_rows["allowance_seconds"].append(max(0, int(allowance)))
        s_rows["due_at"].append(step_due)
        s_rows["finished_at"].append(finished)
        s_rows["on_time"].append(None if finished < 0 else bool(finished <= step_due))

    end_of = np.where(is_settled, settle, -1)
    for i in np.flatnonzero(has_steps).tolist():
        h = handler_of[i]
        st = staff.get(h.pk) or {}
        specs, heads = st.get("specialists") or [None], st.get("heads") or [None]
        spec = specs[min(spec_pick[i], len(specs) - 1)]
        head = heads[0]
        desk_staff = (staff.get(communes[desk_idx[i]].pk, {}).get("desk") if at_commune[i] else staff.get(centre.pk, {}).get("desk")) or [None]
        sender = desk_staff[i % len(desk_staff)]
        sent = int(counted[i]) + 300
        if two_steps[i]:
            f1 = int(t1[i]) if t1[i] <= now_epoch else -1
            add_step(i, 1, unit_ids[i], sender and sender.pk, h.pk, spec and spec.pk, TASK_HANDLE, sent, int(step1_due[i]), f1,
                     step1_days[i] * daily)
            if f1 >= 0:
                add_step(i, 2, h.pk, spec and spec.pk, h.pk, head and head.pk, TASK_SIGN, f1, int(step2_due[i]), int(end_of[i]),
                         head_days[i] * daily)
        else:
            add_step(i, 1, unit_ids[i], sender and sender.pk, h.pk, spec and spec.pk, TASK_HANDLE, sent, int(due[i]), int(end_of[i]),
                     max(0, int(due[i]) - sent) if span_days[i] == 0 else span_days[i] * daily)
    n_steps = len(s_rows["dossier_id"])
    for k in ("sent_at", "due_at", "finished_at"):
        s_rows[k] = np.array(s_rows[k], dtype=np.int64)
    if n_steps:
        _insert(DossierStep, {**s_rows, "note": ""}, n_steps)

    # ---- pauses, apology letters, ratings
    pauses = []
    for i in np.flatnonzero(supplemented).tolist():
        if is_closed_other[i] and pause_start[i] >= close_other[i]:
            continue
        ended = not paused_now[i]
        pauses.append(DossierPause(
            dossier_id=int(pks[i]), kind=PauseKind.SUPPLEMENT, reason=SUPPLEMENT_REASONS[i % len(SUPPLEMENT_REASONS)],
            started_at=_ts(pause_start[i]), ended_at=_ts(pause_end[i]) if ended else None, resume_state=wf.IN_PROCESS,
            working_seconds=int(pause_ws[i]) if ended else None, due_before=_ts(original_due[i]) if ended else None,
            due_after=_ts(due[i]) if ended else None))
    apologies = [ApologyLetter(dossier_id=int(pks[i]), issued_at=_ts(apology_at[i]), reason=APOLOGY_REASONS[i % len(APOLOGY_REASONS)],
                               due_at=_ts(due[i]), new_due_at=_ts(promised[i]), issuing_unit_id=handler_of[i].pk)
                 for i in np.flatnonzero(apologised).tolist()]
    DossierPause.objects.bulk_create(pauses, batch_size=BATCH)
    ApologyLetter.objects.bulk_create(apologies, batch_size=BATCH)
    # ratings (đánh giá mức độ hài lòng) by ~12 % of those who collected their result, lower when late
    rated = np.flatnonzero(is_settled & ~not_collected & (rng.random(n) < 0.12))
    k = len(rated)
    if k:
        vals = np.clip(rng.normal(np.where(late[rated], 3.5, 4.5)[:, None], 0.7, size=(k, 6)).round(), 1, 5).astype(int)
        feedback = np.where(rng.random(k) < 0.5, vals[:, 5], -1)
        _insert(DossierRating, {
            "dossier_id": pks[rated], "overall": vals[:, 0], "access": vals[:, 1], "procedure": vals[:, 2], "officials": vals[:, 3],
            "result": vals[:, 4], "feedback": [None if f < 0 else int(f) for f in feedback.tolist()], "comment": "",
            "created_at": np.minimum(returned[rated] + rng.integers(600, 2 * 86400, size=k), now_epoch - 60)}, k)

    settled_n = int(is_settled.sum())
    late_n = int((is_settled & late).sum())
    finished = np.array(s_rows["finished_at"]) >= 0 if n_steps else np.zeros(0, dtype=bool)
    late_steps = int(sum(1 for ok, f in zip(s_rows["on_time"], finished.tolist(), strict=True) if f and ok is False))
    counts = {s: int((status == s).sum()) for s in wf.STATES if (status == s).any()}
    return {
        "dossiers": n, "from": start_day.isoformat(), "per_year": round(n * 365 / len(span)), "by_status": counts,
        "commune_share": round(100.0 * n_c / n, 2), "online_share": round(100.0 * float((channel == "online").mean()), 2),
        "on_time_rate": round(100.0 * (settled_n - late_n) / settled_n, 2) if settled_n else None,
        "late_settled": late_n, "steps": n_steps, "late_steps": late_steps, "pauses": len(pauses),
        "apologies": len(apologies), "ratings": k, "documents": n_docs,
        "with_checklist": int((checklist_of >= 0).sum()),
        "channels": {c: int((channel == c).sum()) for c in ("online", "counter", "post")},
    }



def due_dates(cal, pubs, received: np.ndarray, *, has_cutoff: np.ndarray, offset: int):
    """(units, values, counted_from, due) epochs for dossiers of publications `pubs` received at `received`.

    The unit of each publication goes through `services.clock_time_unit`, the rule `_start_clock` applies at
    intake: every unit the calendar computes (working days, working hours, same day, calendar days, months)
    and ConflictError naming `time_unit` for any other. Whole working days and same-day are vectorised
    (`due_bulk`); the other units use `cal.due` per item, cached by (counted from, value, unit).
    """
    from .services import clock_time_unit

    n = len(pubs)
    units = np.array([clock_time_unit(p.time_unit) for p in pubs], dtype=object)
    values = np.array([float(p.time_value) for p in pubs])
    rec64 = np.asarray(received).astype("datetime64[s]")
    counted = cal.due_bulk(rec64, np.zeros(n, dtype=np.int64)).astype(np.int64)  # counting starts (epoch seconds)
    due = np.zeros(n, dtype=np.int64)
    whole = (units == "working_days") & (np.mod(values, 1) == 0)
    if whole.any():
        due[whole] = cal.due_bulk(rec64[whole], values[whole].astype(np.int64)).astype(np.int64)
    same = units == "same_day"
    if same.any():
        local = counted + offset
        sod = local % 86400
        late_in_day = has_cutoff & (sod > 15 * 3600)
        day_start = counted - sod
        nxt = cal.due_bulk(counted.astype("datetime64[s]"), np.ones(n, dtype=np.int64)).astype(np.int64)
        close = int(getattr(cal, "_e2", 17 * 3600))
        due[same] = np.where(late_in_day, nxt - ((nxt + offset) % 86400), day_start)[same] + close
    cache: dict = {}
    for i in np.flatnonzero(~(whole | same)):
        key = (int(counted[i]), values[i], units[i])
        if key not in cache:
            at = datetime.fromtimestamp(int(received[i]), tz=UTC)
            cache[key] = int(cal.due(at, Decimal(str(values[i])), units[i]).timestamp())
        due[i] = cache[key]
    return units, values, counted, due

def _ts(x) -> datetime:
    return datetime.fromtimestamp(int(x), tz=UTC)
