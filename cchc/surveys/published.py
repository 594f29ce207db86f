"""Reading and checking published national-index figures (pure Python, no Django).

Two CSV formats are recognised by their header (column names are matched after folding, so
Vietnamese headers with or without diacritics and a UTF-8 BOM work):

* results ("kết quả"): `nam, loai_don_vi, don_vi, chi_so_pct, thu_hang, tong_so_don_vi, kieu_thu_hang,
  nhom, chi_so_nam_truoc_pct_theo_nguon, bien_dong_pct_theo_nguon, bien_dong_thu_hang_theo_nguon,
  nguon_tin, source_url, ghi_chu` — the layout of par_index_published.csv and sipas_published.csv.
  Optional columns: `chi_so` (index per row: PAR INDEX / SIPAS / PAPI / PCI / ICT), `thanh_phan`
  (component: PAR field or SIPAS aspect), `thu_hang_vung` (regional rank).
* aggregates ("tổng hợp"): `nam, chi_so, pham_vi, chi_tieu, gia_tri_pct, so_voi_nam_truoc_pct_theo_nguon,
  gia_tri_nam_truoc_pct_theo_nguon, source_url, ghi_chu` — the layout of par_sipas_aggregates.csv.

The two "results" files share one header, so which index a results file holds is taken from, in
order: a `chi_so` column, the caller's `index_kind`, the file name (…sipas…, …par…, papi, pci, ict),
and otherwise PAR INDEX (documented in docs/national-indices.md; the summary says what was used).

Checks return Vietnamese messages. A row is REJECTED when a figure cannot be right on its own
(year, unit name, score outside 0–100, rank outside 1..N, nothing to record, duplicate row). It is
imported with a FLAG when it contradicts another figure (stated change vs the two scores, two sources
for one figure, counts that do not add up, a conflict the source itself declares).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cchc.core.numbers import format_vn
from cchc.core.textfold import fold

from .sipas import ASPECTS

TOLERANCE = Decimal("0.005")  # published figures have two decimals: any real difference is ≥ 0.01
# The mean of 63 two-decimal figures can differ from the published (unrounded) mean by up to 0.005
AVERAGE_TOLERANCE = Decimal("0.01")

KIND_ALIASES = {
    "par index": "par_index", "par_index": "par_index", "par": "par_index", "chi so cchc": "par_index",
    "chi so cai cach hanh chinh": "par_index",
    "sipas": "sipas", "chi so hai long": "sipas",
    "papi": "papi", "pci": "pci", "ict": "ict", "ict index": "ict", "vietnam ict index": "ict",
}
RESULT_COLUMNS = {
    "nam": "year", "year": "year",
    "loai_don_vi": "entity_kind", "entity_kind": "entity_kind",
    "don_vi": "entity", "unit": "entity", "tinh": "entity",
    "chi_so_pct": "score", "score": "score", "diem": "score", "chi_so_diem": "score",
    "thu_hang": "rank", "rank": "rank",
    "tong_so_don_vi": "rank_of", "rank_of": "rank_of",
    "kieu_thu_hang": "rank_reliability",
    "nhom": "group", "group": "group",
    "chi_so_nam_truoc_pct_theo_nguon": "previous_score_stated",
    "bien_dong_pct_theo_nguon": "change_stated",
    "bien_dong_thu_hang_theo_nguon": "rank_change_stated",
    "nguon_tin": "source_name",
    "source_url": "source_url", "nguon": "source_url",
    "ghi_chu": "note", "note": "note",
    "chi_so": "index_kind", "index": "index_kind",
    "thanh_phan": "component", "component": "component",
    "thu_hang_vung": "regional_rank", "regional_rank": "regional_rank",
}
AGGREGATE_COLUMNS = {
    "nam": "year", "chi_so": "index_kind", "pham_vi": "scope", "chi_tieu": "measure",
    "gia_tri_pct": "value", "so_voi_nam_truoc_pct_theo_nguon": "change_stated",
    "gia_tri_nam_truoc_pct_theo_nguon": "previous_value_stated", "source_url": "source_url", "ghi_chu": "note",
}
REQUIRED_RESULT = ("year", "entity", "score", "rank")
REQUIRED_AGGREGATE = ("year", "index_kind", "scope", "measure", "value")


class FormatError(ValueError):
    """The file cannot be read as either format (message names the problem)."""


@dataclass
class Row:
    """One parsed row (results or aggregates), with its line number and the problems found."""

    line: int
    data: dict
    reject: str = ""
    flags: list[str] = field(default_factory=list)

    def flag(self, message: str) -> None:
        if message not in self.flags:
            self.flags.append(message)


def header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold((name or "").lstrip("\ufeff"))).strip("_")


def detect_format(header: list[str]) -> str:
    keys = {header_key(h) for h in header}
    if {"pham_vi", "chi_tieu"} <= keys:
        return "aggregates"
    mapped = {RESULT_COLUMNS[k] for k in keys if k in RESULT_COLUMNS}
    if {"year", "entity"} <= mapped and ({"score", "rank", "change_stated"} & mapped):
        return "results"
    missing = [c for c in ("nam", "don_vi", "chi_so_pct", "thu_hang") if c not in keys]
    raise FormatError(
        "Không nhận ra định dạng tệp: cần tiêu đề của tệp kết quả (thiếu cột " + ", ".join(missing)
        + ") hoặc của tệp tổng hợp (nam, chi_so, pham_vi, chi_tieu, gia_tri_pct)."
    )


def kind_from_text(text: str) -> str | None:
    key = fold(text).replace("-", " ").replace("_", " ").strip()
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    for alias, kind in KIND_ALIASES.items():
        if len(alias) > 3 and alias in key:
            return kind
    return None


def kind_from_filename(name: str) -> str | None:
    base = fold(name.rsplit("/", 1)[-1])
    for token, kind in (("sipas", "sipas"), ("papi", "papi"), ("pci", "pci"), ("ict", "ict"), ("par", "par_index")):
        if re.search(rf"(^|[^a-z]){token}([^a-z]|$)", base):
            return kind
    return None


def parse_decimal(text: str) -> Decimal | None:
    """'91.87', '91,87', '+4.30', '−1,2' → Decimal; '' → None; anything else raises ValueError."""
    value = (text or "").strip().replace("\u2212", "-").replace("%", "").strip()
    if value == "":
        return None
    if "," in value and "." not in value:
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_int(text: str) -> int | None:
    value = (text or "").strip().replace("+", "")
    if value == "":
        return None
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


def source_key(url: str) -> str:
    """First URL of a ';'-separated list, folded: identifies 'the same source' for idempotency."""
    first = (url or "").split(";")[0].strip()
    return fold(first)[:255]


def component_code(text: str) -> str:
    value = (text or "").strip()
    if not value:
        return ""
    key = fold(value)
    for code, title in ASPECTS:
        if key == code or key == fold(title) or fold(title).startswith(key):
            return code
    return value[:40]


def entity_kind_code(text: str) -> str | None:
    key = fold(text)
    if key in {"", "tinh", "tinh, thanh pho", "thanh pho", "province", "dia phuong"}:
        return "province"
    if key.startswith("bo") or key == "ministry" or "ngang bo" in key:
        return "ministry"
    return None


def _fmt(number: Decimal | None) -> str:
    return "" if number is None else format_vn(number, 2)


def _signed(number: Decimal) -> str:
    return ("+" if number == 0 else "") + format_vn(number, 2, signed=True)


def read_rows(text: str) -> tuple[str, list[str], list[Row]]:
    """Parse CSV text into rows with canonical keys; returns (format, header, rows)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError("Tệp rỗng: không có dòng tiêu đề.") from None
    fmt = detect_format(header)
    columns = RESULT_COLUMNS if fmt == "results" else AGGREGATE_COLUMNS
    keys = [columns.get(header_key(h)) for h in header]
    rows = []
    try:
        for index, values in enumerate(reader, start=2):
            if not any((v or "").strip() for v in values):
                continue
            data = {}
            for key, value in zip(keys, values, strict=False):
                if key:
                    data[key] = (value or "").strip()
            row = Row(line=index, data=data)
            nul = next((h for h, v in zip(header, values, strict=False) if "\x00" in (v or "")), None)
            if nul is not None:  # PostgreSQL text cannot hold U+0000: the row is refused, the import goes on
                row.reject = f"Cột {nul}: chứa ký tự NUL (U+0000), không được chấp nhận."
            rows.append(row)
    except csv.Error as exc:  # a cell over csv.field_size_limit() (131.072 characters), a broken quote
        raise FormatError(f"Dòng {reader.line_num}: tệp CSV không đọc được ({exc}); một ô tối đa "
                          f"{csv.field_size_limit():_} ký tự.".replace("_", ".")) from None
    return fmt, header, rows


# ---------------------------------------------------------------------------------------------
# results rows
# ---------------------------------------------------------------------------------------------

def clean_result(row: Row, *, default_kind: str) -> None:
    """Turn a results row into typed values in row.data['clean'] or set row.reject."""
    if row.reject:
        return
    d = row.data
    try:
        year = parse_int(d.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 1990 <= year <= 2100:
        row.reject = f"Năm không hợp lệ: '{d.get('year', '')}'."
        return
    name = (d.get("entity") or "").strip()
    if not name:
        row.reject = "Thiếu tên đơn vị (cột don_vi)."
        return
    entity_kind = entity_kind_code(d.get("entity_kind", ""))
    if entity_kind is None:
        row.reject = f"Loại đơn vị không hợp lệ: '{d.get('entity_kind')}' (tỉnh hoặc bộ, cơ quan ngang bộ)."
        return
    kind = default_kind
    if d.get("index_kind"):
        kind = kind_from_text(d["index_kind"])
        if kind is None:
            row.reject = f"Không rõ chỉ số: '{d['index_kind']}' (PAR INDEX, SIPAS, PAPI, PCI, ICT)."
            return
    values = {}
    for key, label in (("score", "chi_so_pct"), ("previous_score_stated", "chi_so_nam_truoc_pct_theo_nguon"),
                       ("change_stated", "bien_dong_pct_theo_nguon")):
        try:
            values[key] = parse_decimal(d.get(key, ""))
        except ValueError:
            row.reject = f"Cột {label} không phải là số: '{d.get(key)}'."
            return
    for key, label in (("rank", "thu_hang"), ("rank_of", "tong_so_don_vi"), ("regional_rank", "thu_hang_vung"),
                       ("rank_change_stated", "bien_dong_thu_hang_theo_nguon")):
        try:
            values[key] = parse_int(d.get(key, ""))
        except ValueError:
            row.reject = f"Cột {label} không phải là số nguyên: '{d.get(key)}'."
            return
    score = values["score"]
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        row.reject = f"Điểm {score} nằm ngoài khoảng 0–100."
        return
    prev = values["previous_score_stated"]
    if prev is not None and not Decimal(0) <= prev <= Decimal(100):
        row.reject = f"Điểm năm trước {prev} nằm ngoài khoảng 0–100."
        return
    rank, rank_of = values["rank"], values["rank_of"]
    if rank is not None and rank < 1:
        row.reject = f"Thứ hạng {rank} phải ≥ 1."
        return
    if rank_of is not None and rank_of < 1:
        row.reject = f"Tổng số đơn vị {rank_of} phải ≥ 1."
        return
    if rank is not None and rank_of is not None and rank > rank_of:
        row.reject = f"Thứ hạng {rank} lớn hơn tổng số đơn vị {rank_of}."
        return
    if values["regional_rank"] is not None and values["regional_rank"] < 1:
        row.reject = f"Thứ hạng vùng {values['regional_rank']} phải ≥ 1."
        return
    if score is None and rank is None and values["change_stated"] is None and values["rank_change_stated"] is None \
            and not d.get("rank_reliability"):
        row.reject = "Dòng không có số liệu nào (điểm, thứ hạng, biến động)."
        return
    row.data["clean"] = {
        "index_kind": kind,
        "component": component_code(d.get("component", "")),
        "year": year,
        "entity_kind": entity_kind,
        "entity_name": name,
        "entity_key": fold(name)[:200],
        "score": score,
        "rank": rank,
        "rank_of": rank_of,
        "regional_rank": values["regional_rank"],
        "rank_reliability": d.get("rank_reliability", "")[:120],
        "group": d.get("group", "")[:4],
        "previous_score_stated": prev,
        "change_stated": d.get("change_stated", "")[:16],
        "change_value": values["change_stated"],
        "rank_change_stated": d.get("rank_change_stated", "")[:16],
        "rank_change_value": values["rank_change_stated"],
        "source_name": d.get("source_name", "")[:255],
        "source_url": d.get("source_url", ""),
        "source_key": source_key(d.get("source_url", "")),
        "note": d.get("note", ""),
    }


@dataclass
class Figure:
    """A results figure for the consistency checks (from the file or already stored)."""

    ref: object  # Row (from the file) or a stored id
    index_kind: str
    component: str
    year: int
    entity_key: str
    entity_name: str
    score: Decimal | None
    rank: int | None
    rank_of: int | None
    rank_reliability: str
    previous_score_stated: Decimal | None
    change_value: Decimal | None
    rank_change_value: int | None
    source_key: str
    source_label: str
    note: str
    entity_kind: str = "province"
    flags: list[str] = field(default_factory=list)

    def flag(self, message: str) -> None:
        if message not in self.flags:
            self.flags.append(message)

    @property
    def series(self) -> tuple:
        return (self.index_kind, self.component, self.entity_kind, self.entity_key)


def _where(fig: Figure) -> str:
    return fig.source_label or "nguồn không ghi"


def is_inferred(fig) -> bool:
    """A rank derived by the collector (e.g. next year's rank minus the stated change), not stated."""
    return "suy ra" in fold(fig.rank_reliability or "")


def check_results(figures: list[Figure], *, averages: dict | None = None) -> None:
    """Flag contradictions among published results (file rows and stored rows together).

    `averages` maps (index_kind, entity_kind, year) → published averages (Decimal list: national for
    provinces, all ministries for ministries), used to check a complete table's mean.
    """
    by_series: dict[tuple, dict[int, list[Figure]]] = {}
    for fig in figures:
        by_series.setdefault(fig.series, {}).setdefault(fig.year, []).append(fig)

    for years in by_series.values():
        for year, figs in years.items():
            # Two sources for one figure that disagree.
            scored = [f for f in figs if f.score is not None]
            if len({f.score for f in scored}) > 1:
                listing = "; ".join(f"{_fmt(f.score)} ({_where(f)})" for f in scored)
                for f in scored:
                    f.flag(f"MÂU THUẪN giữa các nguồn cho {f.entity_name} năm {year}: {listing}.")
            ranked = [f for f in figs if f.rank is not None and "chinh xac" in fold(f.rank_reliability)]
            if len({f.rank for f in ranked}) > 1:
                listing = "; ".join(f"hạng {f.rank} ({_where(f)})" for f in ranked)
                for f in ranked:
                    f.flag(f"MÂU THUẪN thứ hạng giữa các nguồn cho {f.entity_name} năm {year}: {listing}.")
            # A rank derived by the collector that differs from a rank a source states.
            inferred = [f for f in figs if f.rank is not None and is_inferred(f)]
            stated = [f for f in figs if f.rank is not None and not is_inferred(f)]
            for f in inferred:
                others = [g for g in stated if g.rank != f.rank]
                if others:
                    shown = "; ".join(f"hạng {g.rank} ({_where(g)})" for g in others)
                    f.flag(f"MÂU THUẪN: hạng suy ra {f.rank} của {f.entity_name} năm {year} khác hạng nguồn nêu: {shown}.")
                    for g in others:
                        g.flag(f"MÂU THUẪN: hạng suy ra từ nguồn khác ({_where(f)}) là {f.rank}, khác hạng {g.rank}.")
            previous = [f for f in years.get(year - 1, []) if f.score is not None]
            # derived ranks are not evidence: a stated change must match a STATED previous rank
            previous_ranked = [f for f in years.get(year - 1, []) if f.rank is not None and not is_inferred(f)]
            for f in figs:
                # Stated change against the stated previous score in the same row.
                if f.change_value is not None and f.score is not None and f.previous_score_stated is not None:
                    diff = f.score - f.previous_score_stated
                    if abs(diff - f.change_value) > TOLERANCE:
                        f.flag(
                            f"Biến động ghi {_signed(f.change_value)} không khớp: {_fmt(f.score)} − "
                            f"{_fmt(f.previous_score_stated)} = {_signed(diff)}."
                        )
                # Stated change against the previous year's published score(s).
                if f.change_value is not None and f.score is not None and previous:
                    implied = f.score - f.change_value
                    if not any(abs(p.score - implied) <= TOLERANCE for p in previous):
                        shown = ", ".join(f"{_fmt(p.score)} ({_where(p)})" for p in previous)
                        f.flag(
                            f"Biến động ghi {_signed(f.change_value)} không khớp với điểm năm {year - 1}: "
                            f"{_fmt(f.score)} và biến động {_signed(f.change_value)} suy ra năm {year - 1} là "
                            f"{_fmt(implied)}, nhưng năm {year - 1} công bố {shown}."
                        )
                        for p in previous:
                            p.flag(
                                f"Năm {year} ghi {_fmt(f.score)} với biến động {_signed(f.change_value)}, suy ra năm "
                                f"{year - 1} là {_fmt(implied)} ≠ {_fmt(p.score)} ({_where(f)})."
                            )
                # Stated previous score against the previous year's published score(s).
                if f.previous_score_stated is not None and previous:
                    if not any(abs(p.score - f.previous_score_stated) <= TOLERANCE for p in previous):
                        shown = ", ".join(_fmt(p.score) for p in previous)
                        f.flag(f"Điểm năm trước ghi {_fmt(f.previous_score_stated)} khác điểm đã công bố năm {year - 1}: {shown}.")
                # Stated rank change against the two ranks (positive = up that many places).
                if f.rank_change_value is not None and f.rank is not None and previous_ranked:
                    implied_rank = f.rank + f.rank_change_value
                    if not any(p.rank == implied_rank for p in previous_ranked):
                        shown = ", ".join(str(p.rank) for p in previous_ranked)
                        f.flag(
                            f"Biến động thứ hạng ghi {f.rank_change_value:+d} không khớp: hạng {f.rank} năm {year} "
                            f"và hạng {shown} năm {year - 1}."
                        )

    # Last place claimed by one source while another source names a different bottom group.
    by_year: dict[tuple, list[Figure]] = {}
    for fig in figures:
        by_year.setdefault((fig.index_kind, fig.component, fig.entity_kind, fig.year), []).append(fig)
    for figs in by_year.values():
        last = [f for f in figs if f.rank is not None and f.rank_of is not None and f.rank == f.rank_of]
        groups = [f for f in figs if "nhom cuoi bang" in fold(f.rank_reliability)]
        for f in last:
            others = [g for g in groups if g.source_key != f.source_key and g.entity_key != f.entity_key]
            named_by_same = {g.source_key for g in groups if g.entity_key == f.entity_key}
            others = [g for g in others if g.source_key not in named_by_same]
            if others:
                names = ", ".join(sorted({g.entity_name for g in others}))
                f.flag(f"MÂU THUẪN: nguồn này xếp {f.entity_name} cuối bảng ({f.rank}/{f.rank_of}), nguồn khác nêu {names} ở cuối bảng.")
                for g in others:
                    g.flag(f"MÂU THUẪN: nguồn khác ({_where(f)}) xếp {f.entity_name} cuối bảng ({f.rank}/{f.rank_of}).")

    for (kind, component, entity_kind, year), figs in by_year.items():
        published_means = (averages or {}).get((kind, entity_kind, year), []) if not component else []
        _check_table(figs, year=year, averages=published_means)

    for fig in figures:
        _note_flags(fig)


def _check_table(figs: list[Figure], *, year: int, averages: list) -> None:
    """One index, one year, one kind of unit: rank order against score order, and — when the table is
    complete (one rank for each of the N units) — ranks 1..N without gaps and the mean against the
    published national average.

    Competition ranking is assumed (tied units share a rank and the next rank is skipped: 1, 2, 2, 4).
    """
    ranked = [f for f in figs if f.rank is not None and not is_inferred(f)]
    # Score order must follow rank order (a better rank never has a lower score).
    scored = [f for f in ranked if f.score is not None]
    for a in scored:
        for b in scored:
            if a.entity_key == b.entity_key or a.rank >= b.rank:
                continue
            if a.score < b.score - TOLERANCE:
                message = (f"Thứ hạng ngược với điểm năm {year}: {a.entity_name} hạng {a.rank} ({_fmt(a.score)}) "
                           f"thấp điểm hơn {b.entity_name} hạng {b.rank} ({_fmt(b.score)}).")
                a.flag(message)
                b.flag(message)
    for a in scored:
        for b in scored:
            if a.entity_key < b.entity_key and a.rank == b.rank and abs(a.score - b.score) > TOLERANCE:
                message = (f"Hai đơn vị cùng hạng {a.rank} năm {year} nhưng điểm khác nhau: {a.entity_name} "
                           f"{_fmt(a.score)}, {b.entity_name} {_fmt(b.score)}.")
                a.flag(message)
                b.flag(message)
    # One rank given to different units (stated, from list order or derived), where the scores cannot
    # show a tie: a tie or one of the sources is wrong — flagged, never resolved.
    by_rank: dict[int, dict[str, Figure]] = {}
    for f in figs:
        if f.rank is not None:
            by_rank.setdefault(f.rank, {}).setdefault(f.entity_key, f)
    for rank, units in by_rank.items():
        if len(units) < 2:
            continue
        members = list(units.values())
        if all(m.score is not None for m in members):
            continue  # equal scores are a tie; different scores are flagged above ("cùng hạng")
        listing = "; ".join(
            f"{m.entity_name} ({'hạng suy ra, ' if is_inferred(m) else ''}{_where(m)})" for m in members
        )
        for m in members:
            m.flag(f"Hạng {rank} năm {year} được nêu cho nhiều đơn vị: {listing} — đồng hạng hoặc một nguồn sai.")
    # Complete table: one (first stated) rank per unit for all N units.
    rank_of = max((f.rank_of for f in figs if f.rank_of), default=None)
    best: dict[str, Figure] = {}
    for f in ranked:
        best.setdefault(f.entity_key, f)
    if not rank_of or len(best) < rank_of:
        return
    table = sorted(best.values(), key=lambda f: f.rank)
    problems = []
    for position, f in enumerate(table, start=1):
        previous = table[position - 2] if position > 1 else None
        tied = previous is not None and previous.rank == f.rank
        if f.rank != position and not tied:
            problems.append(f"{f.entity_name} hạng {f.rank} ở vị trí {position}")
    if problems:
        missing = sorted(set(range(1, rank_of + 1)) - {f.rank for f in table})
        text = (f"Bảng đủ {rank_of} đơn vị năm {year} nhưng thứ hạng không liên tục"
                + (f" (thiếu hạng {', '.join(map(str, missing[:10]))}{'…' if len(missing) > 10 else ''})" if missing else "")
                + ": " + "; ".join(problems[:5]) + ("…" if len(problems) > 5 else "") + ".")
        for f in table:
            f.flag(text)
    scores = [f.score for f in table if f.score is not None]
    if averages and len(scores) == rank_of:
        mean = sum(scores) / len(scores)
        if not any(abs(mean - avg) <= AVERAGE_TOLERANCE for avg in averages):
            text = (f"Trung bình của bảng đủ {rank_of} đơn vị năm {year} là {_fmt(mean)}, khác trung bình công bố "
                    f"{', '.join(_fmt(a) for a in averages)}.")
            for f in table:
                f.flag(text)


def _note_flags(fig) -> None:
    note = fig.note or ""
    folded = fold(note)
    if "mau thuan" in folded:
        fig.flag("Nguồn dữ liệu ghi chú MÂU THUẪN: " + note)
    elif "khong xac nhan" in folded:
        fig.flag("Chưa xác nhận: " + note)
    expected = getattr(fig, "count_of", None) or getattr(fig, "rank_of", None)
    for message in count_problems(note, expected):
        fig.flag(message)


_UP_DOWN = re.compile(r"(\d+)\s+(?:[^\W\d]+\s+)?tang\s*,\s*(\d+)\s+(?:[^\W\d]+\s+)?giam")
_GROUPS = re.compile(r"nhom\s+[abc]\b[^,;.]*?(\d+)\s+(?:tinh|dia phuong|bo)")
_TOTAL = re.compile(r"(\d+)\s+(?:tinh|dia phuong|bo)")


def count_problems(text: str, expected: int | None) -> list[str]:
    """Counts in a note that do not add up to the number of units, e.g. '53 tăng, 9 giảm' ≠ 63."""
    if not text:
        return []
    folded = fold(text)
    problems = []
    total = expected
    if total is None:
        m = _TOTAL.search(folded.split(";")[0]) if "/" not in folded else None
        total = int(m.group(1)) if m and int(m.group(1)) > 10 else None
    for m in _UP_DOWN.finditer(folded):
        up, down = int(m.group(1)), int(m.group(2))
        if total is not None and up + down != total:
            problems.append(
                f"Số đơn vị không cộng đủ: {up} tăng + {down} giảm = {up + down} ≠ {total} (không nêu đơn vị giữ nguyên)."
            )
    groups = [int(g) for g in _GROUPS.findall(folded)]
    if len(groups) >= 2 and total is not None and sum(groups) != total:
        problems.append(f"Số đơn vị theo nhóm cộng lại {sum(groups)} ≠ {total}.")
    return problems


# ---------------------------------------------------------------------------------------------
# aggregates rows
# ---------------------------------------------------------------------------------------------

def clean_aggregate(row: Row) -> None:
    if row.reject:
        return
    d = row.data
    try:
        year = parse_int(d.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 1990 <= year <= 2100:
        row.reject = f"Năm không hợp lệ: '{d.get('year', '')}'."
        return
    kind = kind_from_text(d.get("index_kind", ""))
    if kind is None:
        row.reject = f"Không rõ chỉ số: '{d.get('index_kind', '')}'."
        return
    scope, measure = d.get("scope", "").strip(), d.get("measure", "").strip()
    if not scope or not measure:
        row.reject = "Thiếu phạm vi (pham_vi) hoặc chỉ tiêu (chi_tieu)."
        return
    try:
        value = parse_decimal(d.get("value", ""))
        change = parse_decimal(d.get("change_stated", ""))
        prev = parse_decimal(d.get("previous_value_stated", ""))
    except ValueError as exc:
        row.reject = f"Giá trị không phải là số: '{exc}'."
        return
    is_count = fold(measure).startswith("so ")
    if value is None:
        row.reject = "Thiếu giá trị (gia_tri_pct)."
        return
    if not is_count and not Decimal(0) <= value <= Decimal(100):
        row.reject = f"Giá trị {value} nằm ngoài khoảng 0–100."
        return
    row.data["clean"] = {
        "index_kind": kind, "year": year, "scope": scope, "measure": measure, "value": value,
        "change_stated": d.get("change_stated", "")[:16], "change_value": change, "previous_value_stated": prev,
        "source_url": d.get("source_url", ""), "source_key": source_key(d.get("source_url", "")),
        "note": d.get("note", ""), "key": fold(scope)[:200] + "|" + fold(measure)[:200],
    }


@dataclass
class AggregateFigure:
    ref: object
    index_kind: str
    year: int
    key: str
    scope: str
    value: Decimal | None
    change_value: Decimal | None
    previous_value_stated: Decimal | None
    source_key: str
    note: str
    count_of: int | None = None
    flags: list[str] = field(default_factory=list)

    def flag(self, message: str) -> None:
        if message not in self.flags:
            self.flags.append(message)


def scope_count(scope: str, year: int) -> int | None:
    m = re.match(r"\s*(\d+)\s", scope)
    if m:
        return int(m.group(1))
    if fold(scope) in {"ca nuoc", "toan quoc"}:
        return 63 if year <= 2024 else 34
    return None


def check_aggregates(figures: list[AggregateFigure]) -> None:
    groups: dict[tuple, dict[int, list[AggregateFigure]]] = {}
    for fig in figures:
        fig.count_of = scope_count(fig.scope, fig.year)
        groups.setdefault((fig.index_kind, fig.key), {}).setdefault(fig.year, []).append(fig)
    for years in groups.values():
        for year, figs in years.items():
            if len({f.value for f in figs if f.value is not None}) > 1:
                listing = "; ".join(_fmt(f.value) for f in figs)
                for f in figs:
                    f.flag(f"MÂU THUẪN giữa các nguồn năm {year}: {listing}.")
            previous = [p for p in years.get(year - 1, []) if p.value is not None]
            for f in figs:
                if f.value is None:
                    continue
                if f.change_value is not None and f.previous_value_stated is not None:
                    diff = f.value - f.previous_value_stated
                    if abs(diff - f.change_value) > TOLERANCE:
                        f.flag(
                            f"Biến động ghi {_signed(f.change_value)} không khớp: {_fmt(f.value)} − "
                            f"{_fmt(f.previous_value_stated)} = {_signed(diff)}."
                        )
                if f.previous_value_stated is not None and previous:
                    if not any(abs(p.value - f.previous_value_stated) <= TOLERANCE for p in previous):
                        shown = ", ".join(_fmt(p.value) for p in previous)
                        f.flag(f"Giá trị năm {year - 1} ghi {_fmt(f.previous_value_stated)} khác số đã công bố năm {year - 1}: {shown}.")
                        for p in previous:
                            p.flag(f"Bài năm {year} ghi lại giá trị năm {year - 1} là {_fmt(f.previous_value_stated)} ≠ {_fmt(p.value)}.")
                if f.change_value is not None and f.previous_value_stated is None and previous:
                    implied = f.value - f.change_value
                    if not any(abs(p.value - implied) <= TOLERANCE for p in previous):
                        f.flag(
                            f"Biến động ghi {_signed(f.change_value)} không khớp với năm {year - 1} "
                            f"({', '.join(_fmt(p.value) for p in previous)})."
                        )
    for fig in figures:
        _note_flags(fig)


def average_key(index_kind: str, scope: str, measure: str, year: int) -> tuple | None:
    """Which results table a published average belongs to: (index_kind, entity_kind, year), or None.

    'trung bình' of 'cả nước' / '63 tỉnh' / '34 tỉnh' → provinces; of '17 bộ, cơ quan ngang bộ' → ministries.
    """
    if fold(measure) != "trung binh":
        return None
    key = fold(scope)
    if key in {"ca nuoc", "toan quoc"} or re.fullmatch(r"\d+ tinh(, thanh pho)?", key):
        return (index_kind, "province", year)
    if re.fullmatch(r"\d+ bo.*", key):
        return (index_kind, "ministry", year)
    return None
