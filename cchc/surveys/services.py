"""Writes of cchc.surveys: national index import, SIPAS questionnaires, surveys, sampling and answers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts.permissions import can
from cchc.core.audit import audit_record
from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from . import published as pub
from . import sipas
from .models import (
    Answer,
    Aspect,
    Channel,
    Invitation,
    PublishedAggregate,
    PublishedResult,
    Question,
    Questionnaire,
    Response,
    Survey,
    SurveyStatus,
    SurveyUnit,
)

# ---------------------------------------------------------------------------------------------
# national indices: import of published results
# ---------------------------------------------------------------------------------------------

RESULT_FIELDS = [
    "entity_kind", "entity_name", "unit_id", "score", "rank", "rank_of", "rank_reliability", "regional_rank",
    "group", "previous_score_stated", "change_stated", "rank_change_stated", "source_name", "source_url", "note",
]
AGGREGATE_FIELDS = ["scope", "measure", "value", "change_stated", "previous_value_stated", "source_url", "note"]


def _read_text(path, encoding: str | None = None) -> str:
    p = Path(path)
    if not p.exists() or not p.is_file():
        raise DomainError(f"Không tìm thấy tệp: {path}", code="file_not_found", field="path")
    from cchc.core.textfile import TextEncodingError, decode_text

    try:
        return decode_text(p.read_bytes(), encoding=encoding, field="path")
    except TextEncodingError as exc:
        raise DomainError(str(exc), code="bad_encoding", field="path") from None


def _resolve_unit(name: str, year: int, entity_kind: str):
    if entity_kind != "province":
        return None
    from cchc.units.selectors import province_by_name_or_code

    return province_by_name_or_code(name, on_date=dt.date(year, 12, 31))


def _result_figure(ref, values: dict) -> pub.Figure:
    return pub.Figure(
        ref=ref, index_kind=values["index_kind"], component=values["component"], year=values["year"],
        entity_key=values["entity_key"], entity_name=values["entity_name"], score=values["score"],
        rank=values["rank"], rank_of=values["rank_of"], rank_reliability=values["rank_reliability"] or "",
        previous_score_stated=values["previous_score_stated"], change_value=values.get("change_value"),
        rank_change_value=values.get("rank_change_value"), source_key=values["source_key"],
        source_label=values.get("source_name") or values["source_key"], note=values.get("note") or "",
        entity_kind=values.get("entity_kind") or "province",
    )


def _stored_result_values(obj: PublishedResult) -> dict:
    def dec(text):
        try:
            return pub.parse_decimal(text)
        except ValueError:
            return None

    def integer(text):
        try:
            return pub.parse_int(text)
        except ValueError:
            return None

    return {
        "index_kind": obj.index_kind, "component": obj.component, "year": obj.year, "entity_key": obj.entity_key,
        "entity_name": obj.entity_name, "score": obj.score, "rank": obj.rank, "rank_of": obj.rank_of,
        "rank_reliability": obj.rank_reliability, "previous_score_stated": obj.previous_score_stated,
        "change_value": dec(obj.change_stated), "rank_change_value": integer(obj.rank_change_stated),
        "source_key": obj.source_key, "source_name": obj.source_name, "note": obj.note,
        "entity_kind": obj.entity_kind,
    }


@transaction.atomic
def published_results_import(*, path, actor=None, index_kind: str | None = None, encoding: str | None = None) -> dict:
    """Nhập kết quả chỉ số đã công bố từ CSV (PAR INDEX, SIPAS, PAPI, PCI, ICT; or national aggregates).

    The format is detected from the header (see cchc.surveys.published). Idempotent: rows are keyed by
    (index, component, year, unit name folded, first source URL); a second run changes nothing.
    Rows that contradict other figures are imported WITH a flag and listed in `flagged`; rows that
    cannot be right on their own are not imported and listed in `rejected`. Row numbers are line
    numbers in the file (header = 1). Flags are recomputed over the stored series, so importing an
    earlier year later still flags the pair.

    Returns {"format", "index_kind", "imported", "updated", "unchanged", "flagged": [{row, message}] (a row's messages joined by " | "),
    "rejected": [{row, reason}]}.
    """
    if index_kind is not None and index_kind not in {"par_index", "sipas", "papi", "pci", "ict"}:
        raise DomainError(f"Chỉ số không hợp lệ: {index_kind}", code="invalid", field="index_kind")
    text = _read_text(path, encoding)
    try:
        fmt, _header, rows = pub.read_rows(text)
    except pub.FormatError as exc:
        raise DomainError(str(exc), code="bad_format", field="path") from None
    if fmt == "aggregates":
        return _import_aggregates(rows, actor=actor, path=str(path))
    kind_source = "column" if any(r.data.get("index_kind") for r in rows) else None
    default_kind = index_kind or pub.kind_from_filename(str(path))
    if index_kind:
        kind_source = kind_source or "argument"
    elif default_kind:
        kind_source = kind_source or "file_name"
    else:
        default_kind, kind_source = "par_index", kind_source or "default"
    for row in rows:
        pub.clean_result(row, default_kind=default_kind)

    seen: dict[tuple, int] = {}
    for row in rows:
        if row.reject:
            continue
        c = row.data["clean"]
        key = (c["index_kind"], c["component"], c["year"], c["entity_key"], c["source_key"])
        if key in seen:
            row.reject = f"Trùng với dòng {seen[key]} (cùng chỉ số, năm, đơn vị và nguồn)."
            continue
        seen[key] = row.line

    good = [r for r in rows if not r.reject]
    provinces_known = _registry_has_provinces()
    counts: Counter = Counter()
    saved: dict[int, PublishedResult] = {}
    for row in good:
        c = row.data["clean"]
        unit = _resolve_unit(c["entity_name"], c["year"], c["entity_kind"]) if provinces_known else None
        if provinces_known and c["entity_kind"] == "province" and unit is None:
            row.flag(f"Không khớp được '{c['entity_name']}' với danh mục tỉnh; đã lưu theo tên.")
        values = {f: c.get(f, "") for f in RESULT_FIELDS if f != "unit_id"}
        values["unit_id"] = unit.pk if unit else None
        for f in ("score", "rank", "rank_of", "regional_rank", "previous_score_stated"):
            values[f] = c[f]
        obj, outcome = _upsert(
            PublishedResult, fields=RESULT_FIELDS, values=values,
            lookup={"index_kind": c["index_kind"], "component": c["component"], "year": c["year"],
                    "entity_key": c["entity_key"], "source_key": c["source_key"]},
            create={"index_kind": c["index_kind"], "component": c["component"], "year": c["year"], "source_key": c["source_key"]},
        )
        counts[outcome] += 1
        saved[row.line] = obj
    imported, updated, unchanged = counts["imported"], counts["updated"], counts["unchanged"]

    # Consistency checks over the stored series of every index touched by this file.
    kinds = {r.data["clean"]["index_kind"] for r in good}
    stored = list(PublishedResult.objects.select_for_update().filter(index_kind__in=kinds))
    by_pk = {o.pk: o for o in stored}
    row_by_pk = {obj.pk: row for row in good for obj in [saved[row.line]]}
    figures = []
    for obj in stored:
        fig = _result_figure(obj.pk, _stored_result_values(obj))
        figures.append(fig)
    averages: dict[tuple, list] = {}
    for agg in PublishedAggregate.objects.filter(index_kind__in=kinds).only("index_kind", "scope", "measure", "year", "value"):
        key = pub.average_key(agg.index_kind, agg.scope, agg.measure, agg.year)
        if key is not None and agg.value is not None:
            averages.setdefault(key, []).append(agg.value)
    pub.check_results(figures, averages=averages)
    for fig in figures:
        obj = by_pk[fig.ref]
        row = row_by_pk.get(obj.pk)
        flags = list(fig.flags)
        if row is not None:
            flags = row.flags + [f for f in flags if f not in row.flags]
            row.flags = flags
        elif obj.flags:
            # keep flags that came from outside the checks (unit matching) on rows not in this file
            flags += [f for f in obj.flags if f.startswith("Không khớp") and f not in flags]
        if flags != obj.flags or bool(flags) != obj.flagged:
            PublishedResult.objects.filter(pk=obj.pk).update(flags=flags, flagged=bool(flags))

    summary = _summary(fmt, rows, imported, updated, unchanged, kinds, kind_source)
    audit_record(
        actor=actor, action="surveys.published_results_import", object_type="surveys.publishedresult",
        object_id=Path(str(path)).name, data={k: v for k, v in summary.items() if k not in {"flagged", "rejected"}}
        | {"flagged": len(summary["flagged"]), "rejected": len(summary["rejected"])},
    )
    return summary


def _registry_has_provinces() -> bool:
    from cchc.units.models import Unit, UnitKind

    return Unit.objects.filter(kind__in=[UnitKind.PROVINCE, UnitKind.OLD_PROVINCE]).exists()


def _differs(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is not new
        return Decimal(old) != Decimal(new)
    return (old if old is not None else "") != (new if new is not None else "")


def _summary(fmt, rows, imported, updated, unchanged, kinds, kind_source) -> dict:
    return {
        "format": fmt,
        "index_kind": sorted(kinds)[0] if len(kinds) == 1 else sorted(kinds),
        "index_kind_from": kind_source,
        "imported": imported,
        "updated": updated,
        "unchanged": unchanged,
        "flagged": [{"row": r.line, "message": " | ".join(r.flags)} for r in rows if not r.reject and r.flags],
        "rejected": [{"row": r.line, "reason": r.reject} for r in rows if r.reject],
    }


def _upsert(model, *, lookup: dict, create: dict, values: dict, fields) -> tuple[object, str]:
    """One imported row: find it by `lookup` (locked), create it from `create` + `values`, or update the
    `fields` that differ. Returns (row, "imported" | "updated" | "unchanged")."""
    obj = model.objects.select_for_update().filter(**lookup).first()
    if obj is None:
        obj = model(**create, **values)
        obj.save()
        return obj, "imported"
    changed = [f for f in fields if _differs(getattr(obj, f), values[f])]
    if not changed:
        return obj, "unchanged"
    for f in changed:
        setattr(obj, f, values[f])
    obj.save()
    return obj, "updated"


def _import_aggregates(rows, *, actor, path: str) -> dict:
    for row in rows:
        pub.clean_aggregate(row)
    seen: dict[tuple, int] = {}
    for row in rows:
        if row.reject:
            continue
        c = row.data["clean"]
        key = (c["index_kind"], c["year"], c["key"], c["source_key"])
        if key in seen:
            row.reject = f"Trùng với dòng {seen[key]} (cùng chỉ số, năm, phạm vi, chỉ tiêu và nguồn)."
            continue
        seen[key] = row.line
    good = [r for r in rows if not r.reject]
    counts: Counter = Counter()
    saved = {}
    for row in good:
        c = row.data["clean"]
        values = {f: c[f] for f in AGGREGATE_FIELDS}
        obj, outcome = _upsert(
            PublishedAggregate, fields=AGGREGATE_FIELDS, values=values,
            lookup={"index_kind": c["index_kind"], "year": c["year"], "key": c["key"], "source_key": c["source_key"]},
            create={"index_kind": c["index_kind"], "year": c["year"], "source_key": c["source_key"]},
        )
        counts[outcome] += 1
        saved[obj.pk] = row
    imported, updated, unchanged = counts["imported"], counts["updated"], counts["unchanged"]
    kinds = {r.data["clean"]["index_kind"] for r in good}
    stored = list(PublishedAggregate.objects.select_for_update().filter(index_kind__in=kinds))
    figures = []
    for obj in stored:
        try:
            change = pub.parse_decimal(obj.change_stated)
        except ValueError:
            change = None
        figures.append(pub.AggregateFigure(
            ref=obj.pk, index_kind=obj.index_kind, year=obj.year, key=obj.key, scope=obj.scope, value=obj.value,
            change_value=change, previous_value_stated=obj.previous_value_stated, source_key=obj.source_key, note=obj.note,
        ))
    pub.check_aggregates(figures)
    for fig, obj in zip(figures, stored, strict=True):
        row = saved.get(obj.pk)
        if row is not None:
            row.flags = list(fig.flags)
        if fig.flags != obj.flags or bool(fig.flags) != obj.flagged:
            PublishedAggregate.objects.filter(pk=obj.pk).update(flags=fig.flags, flagged=bool(fig.flags))
    summary = _summary("aggregates", rows, imported, updated, unchanged, kinds, "column")
    audit_record(
        actor=actor, action="surveys.published_aggregates_import", object_type="surveys.publishedaggregate",
        object_id=Path(path).name, data={"imported": imported, "updated": updated, "flagged": len(summary["flagged"]),
                                         "rejected": len(summary["rejected"])},
    )
    return summary


# ---------------------------------------------------------------------------------------------
# SIPAS: questionnaires, surveys, sampling, answers
# ---------------------------------------------------------------------------------------------

def _require(user, action: str, unit) -> None:
    if user is not None and not can(user, action, unit):
        raise ForbiddenError("Bạn không có quyền thực hiện thao tác này cho đơn vị này.", code="forbidden")


@transaction.atomic
def questionnaire_create(
    *, code: str, title: str, aspects: list[dict], version: int | None = None, methodology: str = "",
    effective_from: dt.date | None = None, scoring_rule: dict | None = None, description: str = "", actor=None,
) -> Questionnaire:
    """Tạo phiên bản bộ phiếu: aspects = [{"code", "title", "questions": [{"code", "text", "kind"?}]}].

    A new version of an existing code gets the next version number; the older versions stay (answers
    keep pointing at the version they were given on).
    """
    code = (code or "").strip()
    if not code or not (title or "").strip():
        raise DomainError("Cần mã và tên bộ phiếu.", code="invalid", field="code")
    if not aspects:
        raise DomainError("Bộ phiếu phải có ít nhất một yếu tố.", code="invalid", field="aspects")
    try:
        rule = sipas.SipasRule.from_dict(scoring_rule)
    except (ValueError, TypeError) as exc:
        raise DomainError(f"Quy tắc tính chỉ số không hợp lệ: {exc}", code="invalid", field="scoring_rule") from None
    if version is None:
        last = Questionnaire.objects.filter(code=code).order_by("-version").first()
        version = 1 if last is None else last.version + 1
    elif Questionnaire.objects.filter(code=code, version=version).exists():
        raise ConflictError(f"Bộ phiếu {code} phiên bản {version} đã có.", code="exists", field="version")
    q = Questionnaire.objects.create(
        code=code, version=version, title=title.strip(), methodology=methodology, effective_from=effective_from,
        scoring_rule=rule.as_dict(), description=description,
    )
    seen_questions = set()
    order = 0
    for a_index, a in enumerate(aspects, start=1):
        if not a.get("code") or not a.get("title"):
            raise DomainError(f"Yếu tố thứ {a_index} thiếu mã hoặc tên.", code="invalid", field="aspects")
        aspect = Aspect.objects.create(questionnaire=q, code=a["code"], order=a_index, title=a["title"])
        for qd in a.get("questions") or []:
            if qd["code"] in seen_questions:
                raise DomainError(f"Mã câu hỏi {qd['code']} bị trùng.", code="duplicate", field="questions")
            seen_questions.add(qd["code"])
            order += 1
            Question.objects.create(
                questionnaire=q, aspect=aspect, code=qd["code"], order=order, text=qd["text"],
                kind=qd.get("kind", "satisfaction"),
            )
    audit_record(actor=actor, action="surveys.questionnaire_create", obj=q, to_state="active",
                 data={"code": code, "version": version})
    return q


@transaction.atomic
def questionnaire_rule_set(*, questionnaire: Questionnaire, rule: dict, actor=None, reason: str = "") -> Questionnaire:
    """Đổi quy tắc tính chỉ số (UNCONFIRMED rule) of a questionnaire version, audited."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    try:
        new = sipas.SipasRule.from_dict(rule)
    except (ValueError, TypeError) as exc:
        raise DomainError(f"Quy tắc tính chỉ số không hợp lệ: {exc}", code="invalid", field="scoring_rule") from None
    old = q.scoring_rule
    q.scoring_rule = new.as_dict()
    q.save(update_fields=["scoring_rule"])
    audit_record(actor=actor, action="surveys.questionnaire_rule_set", obj=q, reason=reason, data={"from": old, "to": q.scoring_rule})
    return q


def settled_dossiers_count(*, unit, start: dt.date, end: dt.date) -> int | None:
    """N = dossiers settled (đã giải quyết) in [start, end] at `unit` or any unit below it (its desks).

    Uses the one definition of "settled" in cchc.dossiers.selectors.dossier_statistics; None for a period
    the statistics refuse (N is then entered by hand).
    """
    from cchc.accounts.permissions import descendant_ids
    from cchc.dossiers.selectors import dossier_statistics
    from cchc.units.models import Unit

    units = list(Unit.objects.filter(pk__in=descendant_ids([unit.pk])))
    try:
        rows = dossier_statistics(units=units, date_from=start, date_to=end, group_by=())
    except DomainError:
        return None
    if not rows:
        return 0
    value = rows[0].get("settled")
    return int(value) if value is not None else None


@transaction.atomic
def survey_open(
    *, questionnaire: Questionnaire, title: str, year: int, period_start: dt.date, period_end: dt.date,
    units: list, province=None, populations: dict | None = None, margin: float = 0.05,
    include_dossier_ratings: bool = True, actor=None,
) -> Survey:
    """Mở đợt khảo sát and design the sample of every unit: n = N/(1+N·e²).

    N for a unit comes from `populations[unit.pk]` when given (input), else from the dossiers engine
    (settled dossiers in the period), else stays unknown (sample size then left empty).
    """
    if period_end < period_start:
        raise DomainError("Ngày kết thúc phải sau ngày bắt đầu.", code="invalid", field="period_end")
    if not units:
        raise DomainError("Chọn ít nhất một đơn vị được khảo sát.", code="invalid", field="units")
    if not 0 < margin < 1:
        raise DomainError("Sai số e phải trong khoảng (0, 1).", code="invalid", field="margin")
    if actor is not None and not can(actor, "manage", province or units[0]):
        raise ForbiddenError("Bạn không có quyền mở đợt khảo sát.", code="forbidden")
    survey = Survey.objects.create(
        questionnaire=questionnaire, title=title, year=year, period_start=period_start, period_end=period_end,
        status=SurveyStatus.OPEN, province=province, include_dossier_ratings=include_dossier_ratings,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for unit in units:
        _sample_set(survey, unit, (populations or {}).get(unit.pk), margin)
    audit_record(actor=actor, action="surveys.survey_open", obj=survey, to_state=SurveyStatus.OPEN,
                 data={"units": [u.pk for u in units], "margin": margin})
    return survey


def _sample_set(survey: Survey, unit, population: int | None, margin: float) -> SurveyUnit:
    source = "manual"
    if population is None:
        population = settled_dossiers_count(unit=unit, start=survey.period_start, end=survey.period_end)
        source = "dossiers" if population is not None else ""
    if population is not None and population < 0:
        raise DomainError("N phải là số không âm.", code="invalid", field="population")
    n = sipas.sample_size(population, margin) if population is not None else None
    obj, _ = SurveyUnit.objects.update_or_create(
        survey=survey, unit=unit,
        defaults={"population": population, "population_source": source, "margin": Decimal(str(margin)), "sample_size": n},
    )
    return obj


@transaction.atomic
def survey_sample_set(*, survey: Survey, unit, population: int, margin: float | None = None, actor=None) -> SurveyUnit:
    """Nhập N cho một đơn vị (input when the dossiers engine has no figure) and recompute n."""
    _require(actor, "manage", unit)
    s = SurveyUnit.objects.select_for_update().filter(survey=survey, unit=unit).first()
    if s is None:
        raise NotFoundError("Đơn vị không thuộc đợt khảo sát.", code="not_found", field="unit")
    if population is None or int(population) < 0:
        raise DomainError("N phải là số không âm.", code="invalid", field="population")
    margin = float(s.margin) if margin is None else margin
    if not 0 < margin < 1:
        raise DomainError("Sai số e phải trong khoảng (0, 1).", code="invalid", field="margin")
    before = {"population": s.population, "sample_size": s.sample_size}
    s = _sample_set(survey, unit, int(population), margin)
    audit_record(actor=actor, action="surveys.sample_set", obj=s, data={"from": before, "to": {"population": s.population, "sample_size": s.sample_size}})
    return s


@transaction.atomic
def survey_close(*, survey: Survey, actor=None) -> Survey:
    """Kết thúc thu phiếu: no more answers are accepted."""
    s = Survey.objects.select_for_update().get(pk=survey.pk)
    if s.status == SurveyStatus.CLOSED:
        raise ConflictError("Đợt khảo sát đã kết thúc.", code="closed")
    if s.province is not None:
        _require(actor, "manage", s.province)
    else:  # no organising province: only someone who manages every surveyed unit may close it
        for sample in SurveyUnit.objects.filter(survey=s).select_related("unit"):
            _require(actor, "manage", sample.unit)
    old = s.status
    s.status = SurveyStatus.CLOSED
    s.save(update_fields=["status"])
    audit_record(actor=actor, action="surveys.survey_close", obj=s, from_state=old, to_state=s.status)
    return s


def _check_open(survey: Survey) -> None:
    if survey.status != SurveyStatus.OPEN:
        raise ConflictError("Đợt khảo sát không còn nhận phiếu.", code="survey_closed")


def _clean_answers(survey: Survey, answers: dict) -> list[tuple[Question, int | None]]:
    questions = {q.code: q for q in survey.questionnaire.questions.all()}
    by_id = {str(q.pk): q for q in questions.values()}
    scale = sipas.SipasRule.from_dict(survey.questionnaire.scoring_rule).scale
    cleaned = []
    for key, raw in (answers or {}).items():
        q = questions.get(str(key)) or by_id.get(str(key))
        if q is None:
            raise DomainError(f"Câu hỏi không thuộc bộ phiếu: {key}", code="unknown_question", field=str(key))
        if raw in (None, "", "0"):
            cleaned.append((q, None))
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise DomainError(f"Câu {q.code}: giá trị '{raw}' không hợp lệ (1–{scale}).", code="invalid", field=q.code) from None
        if not 1 <= value <= scale:
            raise DomainError(f"Câu {q.code}: giá trị {value} nằm ngoài thang 1–{scale}.", code="invalid", field=q.code)
        cleaned.append((q, value))
    if not any(v is not None for _, v in cleaned):
        raise DomainError("Phiếu chưa có câu trả lời nào.", code="empty", field="answers")
    return cleaned


def _unit_in_survey(survey: Survey, unit) -> None:
    if not SurveyUnit.objects.filter(survey=survey, unit=unit).exists():
        raise DomainError("Đơn vị không thuộc đợt khảo sát này.", code="invalid", field="unit")


@transaction.atomic
def response_enter_paper(*, survey: Survey, unit, answers: dict, paper_number: str = "", comment: str = "", actor) -> Response:
    """Nhập phiếu giấy: a staff member of the unit (or the PAR office) enters one paper questionnaire."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _check_open(survey)
    if actor is None or not (can(actor, "manage", unit) or can(actor, "process", unit)):
        raise ForbiddenError("Bạn không có quyền nhập phiếu cho đơn vị này.", code="forbidden")
    _unit_in_survey(survey, unit)
    cleaned = _clean_answers(survey, answers)
    paper_number = (paper_number or "").strip()
    if paper_number and Response.objects.filter(survey=survey, unit=unit, paper_number=paper_number).exists():
        raise ConflictError(f"Phiếu số {paper_number} đã được nhập.", code="duplicate", field="paper_number")
    try:
        with transaction.atomic():
            r = Response.objects.create(
                survey=survey, unit=unit, channel=Channel.PAPER, paper_number=paper_number, entered_by=actor,
                comment=(comment or "")[:2000],
            )
    except IntegrityError:
        raise ConflictError(f"Phiếu số {paper_number} đã được nhập.", code="duplicate", field="paper_number") from None
    Answer.objects.bulk_create([Answer(response=r, question=q, value=v) for q, v in cleaned])
    audit_record(actor=actor, action="surveys.response_enter_paper", obj=r, data={"survey": survey.pk, "unit": unit.pk, "answers": len(cleaned)})
    return r


@transaction.atomic
def invitation_create(*, survey: Survey, unit, dossier_code: str = "", actor=None) -> Invitation:
    """Tạo đường dẫn khảo sát dùng một lần cho một người dân (e.g. handed out with a returned result)."""
    _check_open(survey)
    _unit_in_survey(survey, unit)
    if actor is not None and not (can(actor, "manage", unit) or can(actor, "process", unit)):
        raise ForbiddenError("Bạn không có quyền tạo đường dẫn khảo sát cho đơn vị này.", code="forbidden")
    inv = Invitation.objects.create(survey=survey, unit=unit, dossier_code=(dossier_code or "")[:60])
    audit_record(actor=actor, action="surveys.invitation_create", obj=inv, object_id=inv.pk, data={"survey": survey.pk, "unit": unit.pk})
    return inv


@transaction.atomic
def response_submit_online(*, token: str, answers: dict, comment: str = "") -> Response:
    """Người dân trả lời trực tuyến qua đường dẫn một lần; a used or unknown link is refused."""
    inv = Invitation.objects.select_for_update().select_related("survey__questionnaire").filter(token=token or "").first()
    if inv is None:
        raise NotFoundError("Đường dẫn khảo sát không hợp lệ.", code="not_found")
    if inv.used_at is not None:
        raise ConflictError("Đường dẫn khảo sát này đã được sử dụng. Cảm ơn bạn đã trả lời.", code="used")
    _check_open(inv.survey)
    cleaned = _clean_answers(inv.survey, answers)
    r = Response.objects.create(survey=inv.survey, unit=inv.unit, channel=Channel.ONLINE, invitation=inv, comment=(comment or "")[:2000])
    Answer.objects.bulk_create([Answer(response=r, question=q, value=v) for q, v in cleaned])
    inv.used_at = timezone.now()
    inv.save(update_fields=["used_at"])
    audit_record(actor=None, action="surveys.response_submit_online", obj=r, data={"survey": inv.survey_id, "unit": inv.unit_id})
    return r


@transaction.atomic
def sipas_scores_push(*, survey: Survey, cycle, criterion_code: str, actor=None) -> dict:
    """Đưa chỉ số SIPAS vào kỳ đánh giá: each surveyed unit's overall SIPAS (%) becomes its points on a
    survey-method sub-criterion of the index cycle: points = index % × max points ÷ 100 (2 decimals),
    through the index engine's `survey_scores_import`. Units without valid answers are skipped.
    """
    from decimal import ROUND_HALF_UP

    from cchc.indices.models import Criterion, CycleUnit
    from cchc.indices.services import survey_scores_import

    from .selectors import survey_scores_for_units

    crit = Criterion.objects.filter(criteria_set_id=cycle.criteria_set_id, code=criterion_code).first()
    if crit is None:
        raise NotFoundError(f"Không có tiêu chí {criterion_code} trong bộ tiêu chí của kỳ.", code="unknown_criterion", field="criterion")
    participants = set(CycleUnit.objects.filter(cycle=cycle).values_list("unit_id", flat=True))
    scores = survey_scores_for_units(survey=survey)
    rows = [
        {"unit": str(unit_id), "code": crit.code,
         "points": (index * crit.max_points / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)}
        for unit_id, index in scores.items() if unit_id in participants
    ]
    result = survey_scores_import(cycle=cycle, rows=rows, actor=actor, source="survey") if rows else {"rows": 0}
    return {"rows": result.get("rows", 0), "skipped": sorted(participants - set(scores)), "criterion": crit.code}
