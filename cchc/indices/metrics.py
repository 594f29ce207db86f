"""Registry of metric providers (nguồn số liệu tự động) for the data-driven criteria of the index engine.

A higher app (plans, inspections, feedback, …) registers, in its `AppConfig.ready()`, a function that gives
each participating unit's value of one metric for a cycle's year:

    from cchc.indices import metrics
    metrics.register("plan_task_completion_rate", "tỷ lệ nhiệm vụ CCHC hoàn thành đúng hạn", completion_rates)

`fn(cycle, unit_ids: list[int]) -> dict[int, Decimal | float]`; a unit missing from the answer (or mapped to
None) gets no figure. When a cycle enters self-assessment, `services._fill_from_metric_providers` fills a
`CriterionDatum` for every registered metric a criterion of the cycle's set uses, exactly as for the dossier
metrics: imported figures win, the outcome goes into the transition's audit row, and a provider raising
`DatabaseError` is logged and recorded as "unavailable" while the transition goes on.

The index engine never imports the providing app: the registry is the hook (lower apps never import higher).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MetricProvider:
    metric: str
    label: str
    fn: Callable[..., Mapping[int, Decimal | float | None]]
    unit: str = "%"

    @property
    def source(self) -> str:
        """What `CriterionDatum.source` records for a computed figure (the providing module)."""
        return f"provider:{getattr(self.fn, '__module__', '') or self.metric}"[:120]


_PROVIDERS: dict[str, MetricProvider] = {}


def register(metric: str, label: str, fn, *, unit: str = "%") -> MetricProvider:
    """Đăng ký nguồn số liệu cho một mã số liệu. Idempotent; registering a metric again replaces it (a test app
    reloading); a metric that the index engine already computes from dossiers is refused."""
    metric = (metric or "").strip()
    if not metric or len(metric) > 60:
        raise ValueError(f"metric: mã số liệu không hợp lệ {metric!r} (1–60 ký tự)")
    if not callable(fn):
        raise ValueError(f"fn: nguồn số liệu của {metric!r} phải là hàm")
    from .services import DOSSIER_METRICS

    if metric in DOSSIER_METRICS:
        raise ValueError(f"metric: {metric!r} đã được tính từ số liệu hồ sơ")
    provider = MetricProvider(metric=metric, label=label, fn=fn, unit=unit)
    _PROVIDERS[metric] = provider
    return provider


def unregister(metric: str) -> None:
    """Remove a provider (tests)."""
    _PROVIDERS.pop(metric, None)


def get(metric: str) -> MetricProvider | None:
    return _PROVIDERS.get(metric)


def providers() -> dict[str, MetricProvider]:
    """Registered providers by metric (a copy)."""
    return dict(_PROVIDERS)


def label(metric: str) -> str | None:
    p = _PROVIDERS.get(metric)
    return p.label if p else None
