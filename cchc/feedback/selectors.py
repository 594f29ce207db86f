"""Reads of the feedback app; ONE definition of each statistic (style.md §5).

Period: feedback received (by Vietnam date) in [start, end]. State is taken as of `as_of` = min(end, today): a feedback
answered after `as_of` still counts as open on that day, so a six-month report does not change when it is re-run later.

- answered on time (trả lời đúng hạn): answered on or before the due day (answered exactly on the due day = on time);
- answered late: answered after the due day;
- open not yet due (đang trong hạn): not answered by `as_of` and due_date ≥ as_of;
- open overdue (quá hạn): not answered by `as_of` and due_date < as_of;
- rejected (không thuộc phạm vi) feedback is counted as received but left out of every rate.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from . import access
from .models import Channel, Dialogue, DialogueFollowUp, Feedback, Kind, Status

ANSWERED = (Status.ANSWERED, Status.PUBLISHED)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def as_of_for(end: dt.date, today: dt.date | None = None) -> dt.date:
    return min(end, today or timezone.localdate())


def statistic_filters(as_of: dt.date) -> dict[str, Q]:
    """The named Q of each feedback statistic as of `as_of` (a Vietnam date)."""
    answered = Q(status__in=ANSWERED, answered_on__lte=as_of)
    rejected = Q(status=Status.REJECTED, answered_on__lte=as_of)
    open_ = ~answered & ~rejected
    return {
        "answered": answered,
        "answered_on_time": answered & Q(answered_on__lte=F("due_date")),
        "answered_late": answered & Q(answered_on__gt=F("due_date")),
        "rejected": rejected,
        "open": open_,
        "open_not_due": open_ & Q(due_date__gte=as_of),
        "open_overdue": open_ & Q(due_date__lt=as_of),
        "published": Q(is_published=True, published_at__isnull=False),
    }


STAT_KEYS = ("received", "answered", "answered_on_time", "answered_late", "rejected", "open", "open_not_due", "open_overdue", "published")


def period_feedback(province, start: dt.date, end: dt.date, *, unit_ids=None):
    lo, hi = period_bounds(start, end)
    qs = Feedback.objects.filter(province=province, received_at__gte=lo, received_at__lt=hi)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    return qs


def _aggregate(qs, as_of: dt.date, group_by: str | None = None):
    f = statistic_filters(as_of)
    agg = {"received": Count("id")}
    agg.update({k: Count("id", filter=f[k]) for k in STAT_KEYS if k != "received"})
    if group_by:
        return list(qs.values(group_by).annotate(**agg).order_by(group_by))
    return qs.aggregate(**agg)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """Percentage with one decimal, None for an empty denominator (never a made-up 100 %)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _with_rates(row: dict) -> dict:
    row = dict(row)
    row["on_time_rate"] = rate(row["answered_on_time"], row["answered"])
    row["in_time_rate"] = rate(row["answered_on_time"] + row["open_not_due"], row["received"] - row["rejected"])
    return row


def feedback_counts(province, start: dt.date, end: dt.date, *, unit_ids=None, today: dt.date | None = None) -> dict:
    """Số phản ánh trong kỳ: received / answered on time / late / open … with the two rates."""
    as_of = as_of_for(end, today)
    return _with_rates(_aggregate(period_feedback(province, start, end, unit_ids=unit_ids), as_of))


def answered_on_time_rate(province, start: dt.date, end: dt.date, *, unit_ids=None, today: dt.date | None = None) -> Decimal | None:
    """Tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn = answered on time ÷ answered (in the period, as of its end)."""
    return feedback_counts(province, start, end, unit_ids=unit_ids, today=today)["on_time_rate"]


def on_time_by_unit(province, start: dt.date, end: dt.date, *, today: dt.date | None = None) -> list[dict]:
    """One row per handling unit (None = not routed yet), with the rates."""
    from cchc.units.models import Unit

    as_of = as_of_for(end, today)
    rows = _aggregate(period_feedback(province, start, end), as_of, group_by="unit_id")
    names = dict(Unit.objects.filter(pk__in=[r["unit_id"] for r in rows if r["unit_id"]]).values_list("pk", "name"))
    out = []
    for r in rows:
        r = _with_rates(r)
        r["unit_name"] = names.get(r["unit_id"], "Chưa chuyển đơn vị xử lý")
        out.append(r)
    return sorted(out, key=lambda r: (r["unit_id"] is None, r["unit_name"]))


def counts_by(province, start: dt.date, end: dt.date, dimension: str, *, today: dt.date | None = None) -> list[dict]:
    """Counts grouped by `kind`, `channel` or `status` (labels in Vietnamese), every choice listed even when 0."""
    choices = {"kind": Kind, "channel": Channel, "status": Status}
    if dimension not in choices:
        raise ValueError(dimension)
    as_of = as_of_for(end, today)
    rows = {r[dimension]: r for r in _aggregate(period_feedback(province, start, end), as_of, group_by=dimension)}
    out = []
    for value, label in choices[dimension].choices:
        r = rows.get(value) or dict.fromkeys(STAT_KEYS, 0)
        r = _with_rates({k: r[k] for k in STAT_KEYS})
        r.update({"key": value, "label": label})
        out.append(r)
    return out


def satisfaction_inputs(province, start: dt.date, end: dt.date, *, unit_ids=None, today: dt.date | None = None) -> dict:
    """Inputs of the Decision 766 satisfaction group from feedback (domain.md §3):

    5.2 "PAKN xử lý đúng hạn + đang trong hạn ÷ PAKN trong kỳ" = (answered_on_time + open_not_due) ÷ (received − rejected).
    5.3 needs the citizen's "not satisfied / filed again" flag, which the platform does not record yet: given as the
    counts only, with `indicator_5_3` None.
    """
    c = feedback_counts(province, start, end, unit_ids=unit_ids, today=today)
    return {
        "received": c["received"] - c["rejected"],
        "handled_in_time": c["answered_on_time"] + c["open_not_due"],
        "answered_late": c["answered_late"],
        "open_overdue": c["open_overdue"],
        "indicator_5_2": c["in_time_rate"],
        "indicator_5_3": None,
    }


# ------------------------------------------------------------------ lists
def feedback_for(user):
    return access.visible_feedback(Feedback.objects.select_related("unit", "procedure", "dossier", "province"), user)


def inbox(user, *, status: str = "", unit_id: str = "", overdue_first: bool = True, today: dt.date | None = None):
    """Staff inbox: visible feedback, filtered; open overdue first, then by due date."""
    from django.db.models import Case, IntegerField, Value, When

    today = today or timezone.localdate()
    qs = feedback_for(user)
    if status == "overdue":
        qs = qs.filter(status__in=[Status.RECEIVED, Status.CLASSIFIED, Status.ROUTED], due_date__lt=today)
    elif status:
        qs = qs.filter(status=status)
    if unit_id and str(unit_id).isdigit():
        qs = qs.filter(unit_id=int(unit_id))
    if overdue_first:
        open_q = Q(status__in=[Status.RECEIVED, Status.CLASSIFIED, Status.ROUTED])
        qs = qs.annotate(_rank=Case(
            When(open_q & Q(due_date__lt=today), then=Value(0)), When(open_q, then=Value(1)), default=Value(2),
            output_field=IntegerField())).order_by("_rank", "due_date", "-received_at")
    return qs


def published(province=None):
    qs = Feedback.objects.filter(is_published=True, status=Status.PUBLISHED).select_related("unit", "procedure", "province")
    if province is not None:
        qs = qs.filter(province=province)
    return qs.order_by("-published_at", "-id")


def dialogues_for(user):
    return access.visible_dialogues(Dialogue.objects.select_related("unit", "province"), user)


def dialogue_counts(province, start: dt.date, end: dt.date) -> dict:
    qs = Dialogue.objects.filter(province=province, held_on__gte=start, held_on__lte=end)
    agg = qs.aggregate(held=Count("id", distinct=True), issues=Count("issues", distinct=True))
    fus = DialogueFollowUp.objects.filter(dialogue__in=qs)
    as_of = as_of_for(end)
    agg["participants"] = sum(qs.values_list("participants_count", flat=True))
    agg["follow_ups"] = fus.count()
    agg["follow_ups_done_on_time"] = fus.filter(done_on__isnull=False, done_on__lte=F("deadline")).filter(done_on__lte=as_of).count()
    agg["follow_ups_overdue"] = fus.filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of), deadline__lt=as_of).count()
    return agg


# ------------------------------------------------------------------ conference report
def _fmt_rate(value):
    """The rate as the report prints it: None stays None (the report writes "chưa có số liệu" / "—", never a bare "%")."""
    return value


def report_section(province, start: dt.date, end: dt.date) -> dict:
    """Phần "Tiếp nhận, xử lý phản ánh, kiến nghị; đối thoại" of the six-month / year-end PAR report."""
    c = feedback_counts(province, start, end)
    d = dialogue_counts(province, start, end)
    period = f"tiếp nhận từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}, tình trạng tại ngày {as_of_for(end):%d/%m/%Y}"
    figures = [
        {"key": "feedback_received", "label": "Phản ánh, kiến nghị tiếp nhận", "value": c["received"], "unit": "phản ánh",
         "query": f"Số PAKN {period} (mọi kênh)."},
        {"key": "feedback_answered", "label": "Đã trả lời", "value": c["answered"], "unit": "phản ánh",
         "query": "PAKN trong kỳ có trạng thái đã trả lời/đã công khai, ngày trả lời ≤ ngày chốt."},
        {"key": "feedback_answered_on_time", "label": "Trả lời đúng hạn", "value": c["answered_on_time"], "unit": "phản ánh",
         "query": "Đã trả lời và ngày trả lời ≤ hạn trả lời (trả lời đúng ngày hạn là đúng hạn)."},
        {"key": "feedback_answered_late", "label": "Trả lời quá hạn", "value": c["answered_late"], "unit": "phản ánh",
         "query": "Đã trả lời và ngày trả lời > hạn trả lời."},
        {"key": "feedback_open", "label": "Đang xử lý", "value": c["open"], "unit": "phản ánh",
         "query": "Chưa trả lời, chưa từ chối tại ngày chốt."},
        {"key": "feedback_open_overdue", "label": "Đang xử lý quá hạn", "value": c["open_overdue"], "unit": "phản ánh",
         "query": "Chưa trả lời tại ngày chốt và hạn trả lời < ngày chốt."},
        {"key": "feedback_rejected", "label": "Không thuộc phạm vi xử lý", "value": c["rejected"], "unit": "phản ánh",
         "query": "Đã từ chối (không thuộc phạm vi Nghị định 20/2008/NĐ-CP), có lý do."},
        {"key": "feedback_answered_on_time_rate", "label": "Tỷ lệ trả lời đúng hạn", "value": _fmt_rate(c["on_time_rate"]), "unit": "%",
         "query": "Trả lời đúng hạn ÷ đã trả lời × 100 (trống khi chưa trả lời phản ánh nào)."},
        {"key": "feedback_published", "label": "Đã công khai kết quả", "value": c["published"], "unit": "phản ánh",
         "query": "PAKN trong kỳ đã công khai tóm tắt và trả lời trên trang công khai."},
        {"key": "dialogues_held", "label": "Hội nghị đối thoại đã tổ chức", "value": d["held"], "unit": "hội nghị",
         "query": f"Hội nghị đối thoại có ngày tổ chức từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}."},
        {"key": "dialogue_issues", "label": "Vấn đề nêu tại đối thoại", "value": d["issues"], "unit": "vấn đề",
         "query": "Số vấn đề người dân, doanh nghiệp nêu tại các hội nghị đối thoại trong kỳ."},
        {"key": "dialogue_participants", "label": "Lượt người tham dự đối thoại", "value": d["participants"], "unit": "người",
         "query": "Tổng số người tham dự các hội nghị đối thoại trong kỳ."},
    ]
    columns = ["Nhóm", "Tiếp nhận", "Đã trả lời", "Đúng hạn", "Quá hạn", "Đang xử lý", "Tỷ lệ đúng hạn (%)"]

    def row(label, r):
        return [label, r["received"], r["answered"], r["answered_on_time"], r["answered_late"], r["open"], _fmt_rate(r["on_time_rate"])]

    tables = [
        {"title": "Phản ánh, kiến nghị theo loại", "columns": columns, "rows": [row(r["label"], r) for r in counts_by(province, start, end, "kind")]},
        {"title": "Phản ánh, kiến nghị theo kênh tiếp nhận", "columns": columns,
         "rows": [row(r["label"], r) for r in counts_by(province, start, end, "channel")]},
        {"title": "Phản ánh, kiến nghị theo đơn vị xử lý", "columns": ["Đơn vị", *columns[1:]],
         "rows": [row(r["unit_name"], r) for r in on_time_by_unit(province, start, end)]},
    ]
    return {"title": "Tiếp nhận, xử lý phản ánh, kiến nghị và đối thoại với người dân, doanh nghiệp", "figures": figures, "tables": tables}
