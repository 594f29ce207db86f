"""Queue statistics for the centre director: waiting and service time (mean, p90) per field group, per counter and
by hour of day; boundaries: a skipped ticket is not served, a recalled ticket waits only until its first call."""

from datetime import date, timedelta
from io import BytesIO

from cchc.counters import selectors, services

from .factories import local

MONDAY = date(2026, 12, 7)


def issue(w, group="a", at=None):
    return services.ticket_issue(centre=w["centre"], group_id=w[group].pk, now=at)


def call(w, counter, at, officer="officer"):
    return services.counter_call_next(counter_id=w[counter].pk, actor=w[officer], now=at)


def act(w, t, action, at, officer="officer"):
    return services.ticket_act(ticket_id=t.pk, action=action, actor=w[officer], version=t.version, now=at)


def stats(w, start=MONDAY, end=MONDAY):
    return selectors.queue_stats(centre=w["centre"], start=start, end=end)


def test_p90_is_the_nearest_rank_value():
    assert selectors.p90([]) is None
    assert selectors.p90([7.0]) == 7.0
    # n = 10: ⌈9⌉ = 9th value exactly (90 % of the values are ≤ 9), not the 10th
    assert selectors.p90([float(x) for x in range(10, 0, -1)]) == 9.0
    # n = 11: ⌈9.9⌉ = 10th value
    assert selectors.p90([float(x) for x in range(1, 12)]) == 10.0


def test_a_skipped_ticket_waited_but_is_not_served(w):
    skipped = issue(w, at=local(2026, 12, 7, 8, 0))
    t = call(w, "c1", local(2026, 12, 7, 8, 10))
    act(w, t, "skip", local(2026, 12, 7, 8, 15))
    assert t.pk == skipped.pk
    s = stats(w)
    row = s["groups"][0]
    assert (row["tickets"], row["served"], row["no_show"]) == (1, 0, 1)
    # called at 08:10 → waited 10 minutes; no service time at all (not 5 minutes of "service")
    assert (row["wait_mean"], row["wait_p90"], row["service_mean"], row["service_p90"]) == (
        10.0,
        10.0,
        None,
        None,
    )
    assert s["counters"] == [
        {
            "counter": 1,
            "served": 0,
            "no_show": 1,
            "wait_mean": 10.0,
            "wait_median": 10.0,
            "wait_p90": 10.0,
            "wait_max": 10.0,
            "service_mean": None,
            "service_median": None,
            "service_p90": None,
        }
    ]


def test_a_recalled_ticket_waits_until_its_first_call(w):
    issue(w, at=local(2026, 12, 7, 8, 0))
    t = call(w, "c1", local(2026, 12, 7, 8, 10))
    t = act(w, t, "recall", local(2026, 12, 7, 8, 20))
    t = act(w, t, "start", local(2026, 12, 7, 8, 21))
    act(w, t, "finish", local(2026, 12, 7, 8, 31))
    total = stats(w)["total"]
    # wait = first call 08:10 − issue 08:00 = 10 (the 08:20 recall does not lengthen it); service = 08:21 → 08:31
    assert (total["served"], total["wait_mean"], total["wait_max"], total["service_mean"]) == (
        1,
        10.0,
        10.0,
        10.0,
    )


def test_mean_and_p90_per_group_counter_and_hour(w):
    """Ten A tickets at counter 1: ticket k (1..10) is called at 09:00 + 12(k − 1) min, issued k minutes before its
    call and served k minutes → waits and services 1..10; one B ticket at counter 2 waits 30 and is served 10."""
    start = local(2026, 12, 7, 9, 0)
    for k in range(1, 11):
        called = start + timedelta(minutes=12 * (k - 1))
        issue(w, at=called - timedelta(minutes=k))
        t = call(w, "c1", called)
        act(w, t, "finish", called + timedelta(minutes=k))
    issue(w, "b", at=local(2026, 12, 7, 11, 0))
    t = call(w, "c2", local(2026, 12, 7, 11, 30), officer="officer2")
    act(w, t, "finish", local(2026, 12, 7, 11, 40), officer="officer2")
    s = stats(w)
    a_row = next(r for r in s["groups"] if r["prefix"] == "A")
    # 1..10 → mean 5.5; p90 = ⌈0.9 × 10⌉ = 9th value = 9
    assert (
        a_row["tickets"],
        a_row["served"],
        a_row["wait_mean"],
        a_row["wait_p90"],
        a_row["service_mean"],
        a_row["service_p90"],
    ) == (10, 10, 5.5, 9.0, 5.5, 9.0)
    by_counter = {r["counter"]: r for r in s["counters"]}
    assert (by_counter[1]["served"], by_counter[1]["wait_p90"], by_counter[1]["service_p90"]) == (
        10,
        9.0,
        9.0,
    )
    assert (by_counter[2]["served"], by_counter[2]["wait_mean"], by_counter[2]["service_p90"]) == (
        1,
        30.0,
        10.0,
    )
    # issue hours: k = 1 at 08:59; k = 2..6 at 09:10..09:54 (waits 2..6); k = 7..10 at 10:05..10:38 (waits 7..10); B at 11:00
    by_hour = {r["hour"]: r for r in s["hours"]}
    assert [(h, r["tickets"], r["wait_mean"], r["wait_p90"]) for h, r in sorted(by_hour.items())] == [
        (8, 1, 1.0, 1.0),
        (9, 5, 4.0, 6.0),
        (10, 4, 8.5, 10.0),
        (11, 1, 30.0, 30.0),
    ]


def test_the_director_sees_the_page_and_the_xlsx_with_p90_columns(client, w):
    from openpyxl import load_workbook

    issue(w, at=local(2026, 12, 7, 8, 0))
    t = call(w, "c1", local(2026, 12, 7, 8, 12))
    act(w, t, "finish", local(2026, 12, 7, 8, 20))
    client.force_login(w["head"])
    code = w["centre"].code
    page = client.get(f"/quay/thong-ke/{code}/", {"from": "2026-12-07", "to": "2026-12-07"})
    html = page.content.decode()
    assert (
        page.status_code == 200
        and "Chờ P90 (phút)" in html
        and "Phục vụ P90 (phút)" in html
        and "Quầy số 1" in html
    )
    x = client.get(f"/quay/thong-ke/{code}/", {"from": "2026-12-07", "to": "2026-12-07", "format": "xlsx"})
    wb = load_workbook(BytesIO(x.content))
    assert wb.sheetnames == ["Theo lĩnh vực", "Theo quầy", "Theo giờ"]
    rows = list(wb["Theo quầy"].iter_rows(values_only=True))
    head = rows[1]
    assert (
        rows[2][0] == 1
        and rows[2][head.index("Chờ P90 (phút)")] == 12
        and rows[2][head.index("Phục vụ P90 (phút)")] == 8
    )
    hours = list(wb["Theo giờ"].iter_rows(values_only=True))
    assert hours[2][0] == "08:00" and hours[2][hours[1].index("Số lượt")] == 1
    # an empty period is a 200 with empty tables, not an error
    empty = client.get(f"/quay/thong-ke/{code}/", {"from": "2026-11-02", "to": "2026-11-02"})
    assert empty.status_code == 200 and "Không có số nào trong kỳ." in empty.content.decode()
