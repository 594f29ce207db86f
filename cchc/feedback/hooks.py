"""Wiring into the registries of lower apps (the index engine's metrics; the 766 index's input providers).

Lower apps never import this one; they expose a registry and this app registers its selectors from
`AppConfig.ready()`. A registry missing from this checkout is skipped (docs/feedback.md, "Feeding the indices").
"""

from __future__ import annotations

import datetime as dt
import importlib

METRICS = {
    "feedback_answered_on_time_rate": ("tỷ lệ phản ánh, kiến nghị được trả lời đúng hạn", "on_time_rate"),
    "feedback_handled_in_time_rate": ("tỷ lệ phản ánh, kiến nghị xử lý đúng hạn hoặc đang trong hạn", "in_time_rate"),
}


def _optional(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise


def unit_rates(year: int, unit_ids, key: str) -> dict:
    """Per unit, over the calendar year: a province is counted whole; any other unit counts the feedback routed to it
    or to a unit below it. A unit with nothing to count gets no figure (None), never a made-up rate."""
    from cchc.accounts.permissions import descendant_ids
    from cchc.units.models import Unit

    from . import selectors

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = {}
    for unit in Unit.objects.filter(pk__in=list(unit_ids)).select_related("province"):
        if unit.province_id is None:
            counts = selectors.feedback_counts(unit, start, end)
        else:
            counts = selectors.feedback_counts(unit.province, start, end, unit_ids=descendant_ids([unit.pk]))
        out[unit.pk] = counts[key]
    return out


def _metric_fn(key: str):
    def provide(cycle, unit_ids):
        return unit_rates(cycle.year, unit_ids, key)

    provide.__module__ = __name__
    provide.__name__ = f"provide_{key}"
    return provide


def indicator_5_2(province, start: dt.date, end: dt.date, unit=None):
    """Decision 766 indicator 5.2 (PAKN xử lý đúng hạn hoặc đang trong hạn) from the platform's feedback:
    (answered on time + open and not yet due) ÷ (received − rejected) in the period, as of its end (or today).
    A unit view counts the feedback routed to the unit or below it. None — the index falls back to the entered
    figure — when nothing in scope was received in the period (never a made-up 100 %)."""
    from cchc.accounts.permissions import descendant_ids

    from . import selectors

    unit_ids = None if unit is None or unit.pk == province.pk else descendant_ids([unit.pk])
    s = selectors.satisfaction_inputs(province, start, end, unit_ids=unit_ids)
    if not s["received"]:
        return None
    return {"numerator": s["handled_in_time"], "denominator": s["received"], "source": "feedback"}


def register_all() -> None:
    inputs = _optional("cchc.serviceindex.inputs")
    if inputs is not None and hasattr(inputs, "register_provider"):
        inputs.register_provider("5.2", indicator_5_2)
    metrics = _optional("cchc.indices.metrics")
    if metrics is not None and hasattr(metrics, "register"):
        for metric, (label, key) in METRICS.items():
            metrics.register(metric, label, _metric_fn(key), unit="%")
