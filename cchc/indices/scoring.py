"""Chấm điểm và xếp hạng chỉ số CCHC: pure scoring and ranking (no Django import).

Everything the index engine computes lives here so that the CLI (`cchc index score`), the database
path (services/selectors) and the benchmark share one definition:

- a criteria tree (bộ tiêu chí: lĩnh vực → tiêu chí → tiêu chí thành phần, any depth) with maxima
  that must add up (a parent's maximum is the sum of its children's);
- unit results: total, maximum, index (%) = total ÷ maximum × 100, field (component) points,
  lost points per leaf (sub-criterion), missing leaves;
- competition ranking with ties on values rounded to 2 decimals (1, 2, 2, 4);
- data-driven point rules (threshold-linear, step function);
- year-on-year through mergers (mean of the predecessors' indices);
- path to a target rank (greedy by points recovered per unit of effort).

Decimal is used internally; values are rounded half-up to 2 decimals only when presented.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


class ScoringError(ValueError):
    """Bad input for scoring: message (Vietnamese), and where (source file, line number, column)."""

    def __init__(self, message: str, *, row: int | None = None, source: str = "", column: str | None = None):
        super().__init__(message)
        self.message = message
        self.row = row
        self.source = source
        self.column = column

    def located(self) -> str:
        """"<file>:<row>: dòng <row>: <message>" (the CLI prefixes "lỗi: ")."""
        where = self.source
        if self.row is not None:
            where = f"{where}:{self.row}: dòng {self.row}" if where else f"dòng {self.row}"
        return f"{where}: {self.message}" if where else self.message


def q2(value: Decimal) -> Decimal:
    """Round half-up to 2 decimals (the precision of every published figure)."""
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def parse_number(text, *, what: str = "điểm") -> Decimal:
    """Parse a point value: '9', '9.5', '9,5' (Vietnamese decimal comma). Raises ValueError."""
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, (int, float)):
        value = Decimal(str(text))
    else:
        raw = str(text or "").strip()
        if "," in raw and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"{what} không phải là số: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"{what} không phải là số hữu hạn: {text!r}")
    return value


# ---------------------------------------------------------------------------------------------- tree


@dataclass
class Node:
    """One node of a criteria tree: lĩnh vực (root), tiêu chí, or tiêu chí thành phần (leaf)."""

    code: str
    parent: str | None
    title: str = ""
    max_points: Decimal | None = None
    row: int | None = None
    children: list[str] = field(default_factory=list)
    depth: int = 0

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass
class CriteriaTree:
    """A validated criteria tree. `order` is the input order; `roots` the fields (lĩnh vực)."""

    nodes: dict[str, Node]
    order: list[str]
    roots: list[str]
    leaves: list[str]
    source: str = ""

    @property
    def max_total(self) -> Decimal:
        return sum((self.nodes[c].max_points for c in self.roots), ZERO)

    def field_of(self) -> dict[str, str]:
        """leaf code -> its root (field) code."""
        out: dict[str, str] = {}
        for root in self.roots:
            stack = [root]
            while stack:
                code = stack.pop()
                node = self.nodes[code]
                if node.is_leaf:
                    out[code] = root
                stack.extend(node.children)
        return out

    def ancestors(self, code: str) -> list[str]:
        out = []
        parent = self.nodes[code].parent
        while parent:
            out.append(parent)
            parent = self.nodes[parent].parent
        return out


@dataclass(frozen=True)
class CriterionRow:
    code: str
    parent: str | None
    title: str = ""
    max_points: Decimal | None = None
    row: int | None = None


def build_tree(rows: Iterable[CriterionRow], *, source: str = "") -> CriteriaTree:
    """Validate rows and build the tree.

    Refused (ScoringError naming the row): empty or repeated code, parent that is unknown or makes a
    cycle, negative maximum, leaf without maximum, a parent maximum that differs from the sum of its
    children's. A parent's maximum may be left empty: it is then the sum of its children's.
    """
    nodes: dict[str, Node] = {}
    order: list[str] = []
    for r in rows:
        code = (r.code or "").strip()
        if not code:
            raise ScoringError("mã tiêu chí trống", row=r.row, source=source, column="code")
        if code in nodes:
            first = nodes[code].row
            raise ScoringError(f"mã tiêu chí {code!r} bị trùng (đã có ở dòng {first})", row=r.row, source=source, column="code")
        if r.max_points is not None and r.max_points < 0:
            raise ScoringError(f"điểm tối đa của {code!r} âm: {r.max_points}", row=r.row, source=source, column="max_points")
        parent = (r.parent or "").strip() or None
        if parent == code:
            raise ScoringError(f"tiêu chí {code!r} không thể là cha của chính nó", row=r.row, source=source, column="parent")
        nodes[code] = Node(code=code, parent=parent, title=r.title or "", max_points=r.max_points, row=r.row)
        order.append(code)
    if not nodes:
        raise ScoringError("bộ tiêu chí không có dòng nào", row=1, source=source)
    for code in order:
        node = nodes[code]
        if node.parent is not None:
            if node.parent not in nodes:
                raise ScoringError(f"tiêu chí cha {node.parent!r} của {code!r} không tồn tại", row=node.row, source=source, column="parent")
            nodes[node.parent].children.append(code)
    roots = [c for c in order if nodes[c].parent is None]
    # depth and cycle detection: every node must be reachable from a root
    reached: set[str] = set()
    stack = [(c, 0) for c in reversed(roots)]
    while stack:
        code, depth = stack.pop()
        reached.add(code)
        nodes[code].depth = depth
        stack.extend((child, depth + 1) for child in reversed(nodes[code].children))
    if len(reached) != len(nodes):
        bad = next(c for c in order if c not in reached)
        raise ScoringError(f"tiêu chí {bad!r} nằm trong một vòng lặp tiêu chí cha", row=nodes[bad].row, source=source, column="parent")
    # maxima bottom-up (deepest first)
    for code in sorted(order, key=lambda c: -nodes[c].depth):
        node = nodes[code]
        if node.is_leaf:
            if node.max_points is None:
                raise ScoringError(f"tiêu chí thành phần {code!r} chưa có điểm tối đa", row=node.row, source=source, column="max_points")
            continue
        total = sum((nodes[c].max_points for c in node.children), ZERO)
        if node.max_points is None:
            node.max_points = total
        elif node.max_points != total:
            raise ScoringError(
                f"điểm tối đa của {code!r} là {node.max_points} nhưng tổng điểm các tiêu chí con là {total}",
                row=node.row, source=source, column="max_points",
            )
    leaves = [c for c in order if nodes[c].is_leaf]
    return CriteriaTree(nodes=nodes, order=order, roots=roots, leaves=leaves, source=source)


# ------------------------------------------------------------------------------------------ CSV input


def _reader(text: str, required: Sequence[str], source: str):
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ScoringError(f"tệp trống, thiếu cột {required[0]!r}", row=1, source=source, column=required[0])
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    index = {}
    for col in required:
        if col not in names:
            raise ScoringError(f"thiếu cột {col!r}", row=1, source=source, column=col)
        index[col] = names.index(col)
    extra = {n: i for i, n in enumerate(names) if n and n not in index}
    line = 1
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        rec = {col: (values[i].strip() if i < len(values) else "") for col, i in index.items()}
        rec.update({n: (values[i].strip() if i < len(values) else "") for n, i in extra.items()})
        yield line, rec


def read_text(path: str) -> str:
    """Read a CSV file as UTF-8 (a BOM is accepted). Raises ScoringError if it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise ScoringError("không tìm thấy tệp", source=path) from None
    except UnicodeDecodeError:
        raise ScoringError("tệp không phải UTF-8", source=path) from None
    except OSError as exc:
        raise ScoringError(f"không đọc được tệp ({exc.strerror})", source=path) from None


def parse_criteria_csv(text: str, *, source: str = "criteria.csv") -> CriteriaTree:
    """criteria.csv: columns code,parent,title,max_points (extra columns ignored)."""
    rows = []
    for line, rec in _reader(text, ["code", "parent", "title", "max_points"], source):
        raw_max = rec["max_points"]
        max_points = None
        if raw_max != "":
            try:
                max_points = parse_number(raw_max, what="điểm tối đa")
            except ValueError as exc:
                raise ScoringError(str(exc), row=line, source=source, column="max_points") from None
        rows.append(CriterionRow(code=rec["code"], parent=rec["parent"] or None, title=rec["title"], max_points=max_points, row=line))
    return build_tree(rows, source=source)


def parse_scores_csv(text: str, tree: CriteriaTree, *, source: str = "scores.csv") -> dict[str, dict[str, Decimal]]:
    """scores.csv: columns unit,code,points for leaf codes. Returns {unit: {leaf code: points}}.

    Refused (ScoringError naming the row): empty unit, unknown code, non-leaf code, non-numeric,
    negative or above-maximum points, a repeated (unit, code) pair. An empty points cell is no score
    (the leaf counts 0 and is listed in the unit's "missing"), not an error.
    Written as one tight loop (no per-row dicts; point strings parsed once) — it reads ~400,000 rows
    in the benchmark.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    names = [h.strip().lstrip("\ufeff").lower() for h in (header or [])]
    for col in ("unit", "code", "points"):
        if col not in names:
            raise ScoringError(f"thiếu cột {col!r}", row=1, source=source, column=col)
    iu, ic, ip = names.index("unit"), names.index("code"), names.index("points")
    width = max(iu, ic, ip) + 1
    leaf_max = {c: tree.nodes[c].max_points for c in tree.leaves}
    nodes = tree.nodes
    parsed: dict[str, Decimal] = {}
    scores: dict[str, dict[str, Decimal]] = {}
    lines: dict[str, dict[str, int]] = {}
    for values in reader:
        if len(values) < width:
            if not any(v.strip() for v in values):
                continue
            values = values + [""] * (width - len(values))
        unit, code, raw = values[iu].strip(), values[ic].strip(), values[ip].strip()
        line = reader.line_num
        if not unit:
            if not code and not raw and not any(v.strip() for v in values):
                continue
            raise ScoringError("thiếu tên đơn vị", row=line, source=source, column="unit")
        max_points = leaf_max.get(code)
        if max_points is None:
            if code in nodes:
                raise ScoringError(f"{code!r} không phải tiêu chí thành phần (có tiêu chí con); chỉ chấm điểm tiêu chí lá", row=line, source=source, column="code")
            raise ScoringError(f"mã tiêu chí {code!r} không có trong bộ tiêu chí (đơn vị {unit!r})", row=line, source=source, column="code")
        unit_scores = scores.get(unit)
        if unit_scores is None:
            unit_scores = scores[unit] = {}
            unit_lines = lines[unit] = {}
        else:
            unit_lines = lines[unit]
            if code in unit_scores:
                raise ScoringError(f"điểm của {unit!r} cho {code!r} bị trùng (đã có ở dòng {unit_lines[code]})", row=line, source=source)
        if not raw:  # an empty points cell is "no score": the leaf counts 0 and is listed in "missing"
            continue
        points = parsed.get(raw)
        if points is None:
            try:
                points = parse_number(raw)
            except ValueError as exc:
                raise ScoringError(f"{exc} (đơn vị {unit!r}, mã {code!r})", row=line, source=source, column="points") from None
            parsed[raw] = points
        if points < 0:
            raise ScoringError(f"điểm âm: {points} (đơn vị {unit!r}, mã {code!r})", row=line, source=source, column="points")
        if points > max_points:
            raise ScoringError(
                f"điểm {points} vượt điểm tối đa {max_points} của {code!r} (đơn vị {unit!r})", row=line, source=source, column="points"
            )
        unit_scores[code] = points
        unit_lines[code] = line
    return scores


# ------------------------------------------------------------------------------------------- scoring


@dataclass
class UnitScore:
    """Kết quả một đơn vị: total, maximum, index %, field points, lost and missing leaves, ranks."""

    unit: str
    total: Decimal
    max_points: Decimal
    index_pct: Decimal
    fields: dict[str, Decimal]
    lost: list[tuple[str, Decimal]]
    missing: list[str]
    rank: int = 0
    field_ranks: dict[str, int] = field(default_factory=dict)


def index_pct(total: Decimal, max_points: Decimal) -> Decimal:
    """Chỉ số (%) = total ÷ max × 100, rounded to 2 decimals; 0 when the maximum is 0."""
    if not max_points:
        return q2(ZERO)
    return q2(Decimal(total) * HUNDRED / Decimal(max_points))


def score_unit(tree: CriteriaTree, unit: str, points: Mapping[str, Decimal], *, field_of: Mapping[str, str] | None = None) -> UnitScore:
    """Score one unit. A leaf without points counts 0 and is listed in `missing` (tree order)."""
    plan = _leaf_plan(tree, field_of)
    fields = dict.fromkeys(tree.roots, ZERO)
    lost: list[tuple[str, Decimal]] = []
    missing: list[str] = []
    total = ZERO
    get = points.get
    for leaf, max_points, root in plan:
        got = get(leaf)
        if got is None:
            missing.append(leaf)
            if max_points:
                lost.append((leaf, max_points))
            continue
        total += got
        fields[root] += got
        if got < max_points:
            lost.append((leaf, max_points - got))
    lost.sort(key=_loss_key)
    max_total = tree.max_total
    return UnitScore(unit=unit, total=total, max_points=max_total, index_pct=index_pct(total, max_total), fields=fields, lost=lost, missing=missing)


def score_unit_from_shortfalls(tree: CriteriaTree, unit: str, shortfalls: Mapping[str, Decimal | None]) -> UnitScore:
    """Same result as `score_unit`, computed from only the leaves that fall short of their maximum.

    `shortfalls` maps leaf code → points (below the maximum), or None when the leaf has no score. Total
    and field points are the maxima minus the losses, so the database need only return shortfalls —
    usually a small share of all assessments.
    """
    info = _leaf_info(tree)
    fields = {root: tree.nodes[root].max_points for root in tree.roots}
    total = tree.max_total
    lost: list[tuple[str, Decimal]] = []
    missing: list[tuple[int, str]] = []
    for code, got in shortfalls.items():
        max_points, root, position = info[code]
        if got is None:
            missing.append((position, code))
            loss = max_points
        else:
            loss = max_points - got
        if loss > 0:
            total -= loss
            fields[root] -= loss
            lost.append((code, loss))
    lost.sort(key=_loss_key)
    missing.sort()
    return UnitScore(unit=unit, total=total, max_points=tree.max_total, index_pct=index_pct(total, tree.max_total), fields=fields,
                     lost=lost, missing=[code for _, code in missing])


def _leaf_info(tree: CriteriaTree) -> dict[str, tuple[Decimal, str, int]]:
    info = getattr(tree, "_info", None)
    if info is None:
        info = {leaf: (mp, root, i) for i, (leaf, mp, root) in enumerate(_leaf_plan(tree, None))}
        tree._info = info
    return info


def _loss_key(item: tuple[str, Decimal]):
    return (-item[1], item[0])


def _leaf_plan(tree: CriteriaTree, field_of: Mapping[str, str] | None) -> list[tuple[str, Decimal, str]]:
    plan = getattr(tree, "_plan", None)
    if plan is None:
        field_of = field_of if field_of is not None else tree.field_of()
        plan = [(leaf, tree.nodes[leaf].max_points, field_of[leaf]) for leaf in tree.leaves]
        tree._plan = plan
    return plan


def competition_ranks(values: Mapping[str, Decimal]) -> dict[str, int]:
    """Rank keys by value descending; values equal to 2 decimals share the best rank (1, 2, 2, 4)."""
    rounded = {k: q2(v) for k, v in values.items()}
    ordered = sorted(rounded.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {k: first[v] for k, v in rounded.items()}


def rank_units(results: list[UnitScore]) -> list[UnitScore]:
    """Set `rank` (on index_pct) and `field_ranks` (on field points); return sorted by rank, then unit."""
    ranks = competition_ranks({r.unit: r.index_pct for r in results})
    for r in results:
        r.rank = ranks[r.unit]
    if results:
        for root in results[0].fields:
            fr = competition_ranks({r.unit: r.fields[root] for r in results})
            for r in results:
                r.field_ranks[root] = fr[r.unit]
    return sorted(results, key=lambda r: (r.rank, r.unit))


def score_all(tree: CriteriaTree, scores: Mapping[str, Mapping[str, Decimal]]) -> list[UnitScore]:
    """Score and rank every unit of `scores` on `tree`."""
    field_of = tree.field_of()
    return rank_units([score_unit(tree, unit, pts, field_of=field_of) for unit, pts in scores.items()])


def _num(value: Decimal) -> float | int:
    return float(q2(value))


def result_as_dict(r: UnitScore) -> dict:
    """The JSON shape of `cchc index score --json` for one unit."""
    return {
        "unit": r.unit,
        "total": _num(r.total),
        "max": _num(r.max_points),
        "index_pct": _num(r.index_pct),
        "rank": r.rank,
        "fields": {code: {"points": _num(pts), "max": None, "rank": r.field_ranks.get(code)} for code, pts in r.fields.items()},
        "lost": [{"code": code, "lost": _num(amount)} for code, amount in r.lost],
        "missing": list(r.missing),
    }


def results_as_dict(tree: CriteriaTree, results: list[UnitScore]) -> dict:
    out = []
    for r in results:
        item = result_as_dict(r)
        for code, f in item["fields"].items():
            f["max"] = _num(tree.nodes[code].max_points)
        out.append(item)
    return {"units": out}


def score_csv_files(criteria_path: str, scores_path: str) -> dict:
    """The whole `cchc index score` path: read, validate, score, rank. Raises ScoringError."""
    tree = parse_criteria_csv(read_text(criteria_path), source=criteria_path)
    scores = parse_scores_csv(read_text(scores_path), tree, source=scores_path)
    return results_as_dict(tree, score_all(tree, scores))


# ---------------------------------------------------------------------------------- data-driven rules

RULE_THRESHOLD_LINEAR = "threshold_linear"
RULE_STEPS = "steps"
RULE_MANUAL = "manual"


def points_from_rule(rule: Mapping, value: Decimal | float | None, max_points: Decimal) -> Decimal | None:
    """Points for a data-driven criterion.

    - {"type": "threshold_linear", "target": 98}: value ≥ target → full points; below it
      value ÷ target × max (the 766/QĐ-TTg conversion "Điểm = Pmax nếu R ≥ ngưỡng; R × Pmax ÷ ngưỡng");
      {"floor": 90} optionally gives 0 below a floor.
    - {"type": "steps", "steps": [[98, 1.0], [95, 0.5], [90, 0.25]]}: the first threshold the value
      reaches gives that points (absolute points, or with "fraction": true a share of max); 0 below all.
    Returns None when there is no value (nothing to compute).
    """
    if value is None:
        return None
    value = Decimal(str(value))
    max_points = Decimal(max_points)
    kind = rule.get("type")
    if kind == RULE_THRESHOLD_LINEAR:
        target = Decimal(str(rule["target"]))
        floor = rule.get("floor")
        if value >= target:
            return max_points
        if floor is not None and value < Decimal(str(floor)):
            return ZERO
        if target <= 0 or value <= 0:
            return ZERO
        return q2(value * max_points / target)
    if kind == RULE_STEPS:
        steps = sorted(((Decimal(str(t)), Decimal(str(p))) for t, p in rule["steps"]), reverse=True)
        for threshold, pts in steps:
            if value >= threshold:
                pts = pts * max_points if rule.get("fraction") else pts
                return min(q2(pts), max_points)
        return ZERO
    raise ValueError(f"quy tắc tính điểm không hợp lệ: {kind!r}")


# -------------------------------------------------------------------------------------- year on year


def previous_index_through_mergers(predecessor_indices: Sequence[Decimal]) -> Decimal | None:
    """Chỉ số năm trước của đơn vị sau sáp nhập: the unweighted mean of the predecessors' indices.

    One predecessor (or the unit itself) → its index. No figure → None. Rounded to 2 decimals.
    """
    values = [Decimal(v) for v in predecessor_indices if v is not None]
    if not values:
        return None
    return q2(sum(values, ZERO) / len(values))


def rank_of_value(value: Decimal, table: Iterable[Decimal]) -> int:
    """Rank a value would take in a table (ties share the best rank): 1 + count of strictly better."""
    v = q2(value)
    return 1 + sum(1 for other in table if q2(other) > v)


# ---------------------------------------------------------------------------------- path to a target


@dataclass(frozen=True)
class LostItem:
    code: str
    lost: Decimal
    effort: Decimal = Decimal(1)
    title: str = ""


@dataclass
class TargetPlan:
    """Lộ trình đạt thứ hạng mục tiêu."""

    target_rank: int
    current_score: Decimal
    current_rank: int
    needed_score: Decimal
    gap: Decimal
    reachable: bool
    picks: list[LostItem]
    recovered: Decimal

    def as_dict(self) -> dict:
        return {
            "target_rank": self.target_rank,
            "current_score": _num(self.current_score),
            "current_rank": self.current_rank,
            "needed_score": _num(self.needed_score),
            "gap": _num(self.gap),
            "reachable": self.reachable,
            "recovered": _num(self.recovered),
            "picks": [{"code": p.code, "title": p.title, "lost": _num(p.lost), "effort": float(p.effort)} for p in self.picks],
        }


EFFORT_TAGS = {"low": Decimal(1), "medium": Decimal(2), "high": Decimal(3), "thấp": Decimal(1), "trung bình": Decimal(2), "cao": Decimal(3)}


def effort_value(tag) -> Decimal:
    """Effort of a sub-criterion: a positive number, or a tag low/medium/high (1/2/3); default 1."""
    if tag is None or tag == "":
        return Decimal(1)
    if isinstance(tag, str) and tag.strip().lower() in EFFORT_TAGS:
        return EFFORT_TAGS[tag.strip().lower()]
    value = parse_number(tag, what="mức công sức")
    if value <= 0:
        raise ValueError("mức công sức phải dương")
    return value


def path_to_target(*, current_score: Decimal, peer_scores: Sequence[Decimal], target_rank: int, lost: Sequence[LostItem]) -> TargetPlan:
    """Score needed to reach rank k among peers, and which lost sub-criteria to recover.

    Needed score = the k-th best peer score (ties share the best rank, so equalling it is enough);
    if there are fewer than k peers the current score already suffices. The unit itself must not be
    in `peer_scores`. Picks: greedy by points recovered per unit of effort (highest first; ties by
    larger loss, then code), until the gap is covered; `reachable` is False when all lost points
    together do not cover it.
    """
    if target_rank < 1:
        raise ValueError("thứ hạng mục tiêu phải từ 1")
    current = q2(Decimal(current_score))
    peers = sorted((q2(Decimal(s)) for s in peer_scores), reverse=True)
    current_rank = rank_of_value(current, peers)
    needed = peers[target_rank - 1] if len(peers) >= target_rank else current
    needed = max(needed, ZERO)
    gap = max(needed - current, ZERO)
    picks: list[LostItem] = []
    recovered = ZERO
    if gap > 0:
        ordered = sorted(lost, key=lambda it: (-(it.lost / it.effort), -it.lost, it.code))
        for item in ordered:
            if recovered >= gap:
                break
            picks.append(item)
            recovered += item.lost
    return TargetPlan(
        target_rank=target_rank, current_score=current, current_rank=current_rank, needed_score=needed,
        gap=gap, reachable=recovered >= gap, picks=picks, recovered=recovered,
    )
