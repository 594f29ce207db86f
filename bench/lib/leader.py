"""The leader's year figures read two ways, for bench/rollups.py and bench/dashboard.py (one definition).

Lives below bench/lib/ so `make bench` (which runs every bench/*.py) does not run it as a benchmark; the scripts
import it as `bench.lib.leader` with the repository root on sys.path.
"""

from __future__ import annotations

import time


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Run fn `repeat` times; the wall times and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def figure_readers(user, *, today, now):
    """(from_rollups, by_group_by): the leadership dashboard's year figures (total, rows by unit, monthly line)
    through the rollup tables and through a plain GROUP BY over the dossier table."""
    from django.db.models import Count

    from cchc.dossiers import rollups, selectors

    d_from, d_to = today.replace(month=1, day=1), today
    extra = {"row_unit": selectors.row_unit_expression(selectors.scope_unit_ids(user))}
    args_ = {"user": user, "date_from": d_from, "date_to": d_to, "now": now}

    def from_rollups():
        total = rollups.rollup_statistics(group_by=(), **args_)
        rows = rollups.rollup_statistics(group_by=(), extra_groups=extra, **args_)
        monthly = rollups.monthly_series(user=user, date_from=d_from, date_to=d_to)
        return total, rows, monthly

    def by_group_by():
        total = selectors.dossier_statistics(group_by=(), **args_)
        rows = selectors.dossier_statistics(group_by=(), extra_groups=extra, **args_)
        aggregates = {}
        for i, (_, m_from, m_to) in enumerate(selectors.month_bounds(d_from, d_to)):
            m_start, m_end = selectors.period_bounds(m_from, m_to)
            f = selectors.statistic_filters(m_start, m_end, now=now)
            aggregates.update({f"n{i}": Count("pk", filter=f["received_new"]), f"s{i}": Count("pk", filter=f["settled"]),
                               f"l{i}": Count("pk", filter=f["settled_late"])})
        _start, end = selectors.period_bounds(d_from, d_to)
        monthly = selectors.dossiers_for_user(user).filter(received_at__lt=end).aggregate(**aggregates)
        return total, rows, monthly

    return from_rollups, by_group_by


def same_figures(from_rollups: tuple, by_group_by: tuple) -> bool:
    """Both readings give the same total, the same rows of units with activity and the same monthly settled line."""
    r_total, r_rows, r_monthly = from_rollups
    g_total, g_rows, g_monthly = by_group_by
    return (r_total == g_total and {r["row_unit"]: r for r in r_rows if r["received"] or r["settled"]}
            == {r["row_unit"]: r for r in g_rows if r["received"] or r["settled"]}
            and r_monthly["settled"] == [g_monthly[f"s{i}"] or 0 for i in range(len(r_monthly["settled"]))])
