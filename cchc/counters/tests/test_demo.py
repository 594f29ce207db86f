from cchc.counters import demo, selectors
from cchc.counters.models import Counter, FieldGroup, Ticket, TicketStatus


def test_demo_builds_a_centre_with_history_and_a_live_queue_once(w):
    ctx = {"service_centre": w["other_centre"], "province": w["other_centre"].province}
    Counter.objects.filter(centre=w["other_centre"]).delete()
    FieldGroup.objects.filter(centre=w["other_centre"]).delete()
    demo.build(ctx)  # no wall-clock bound here (a loaded CI machine took 35 s): speed belongs to bench/
    n = Ticket.objects.filter(centre=w["other_centre"]).count()
    assert Counter.objects.filter(centre=w["other_centre"]).count() == 10 and FieldGroup.objects.filter(centre=w["other_centre"]).count() == 8
    assert 2000 < n < 6000
    demo.build(ctx)
    assert Ticket.objects.filter(centre=w["other_centre"]).count() == n
    days = sorted(set(Ticket.objects.filter(centre=w["other_centre"]).values_list("day", flat=True)))
    stats = selectors.queue_stats(centre=w["other_centre"], start=days[0], end=days[-2])
    assert 5 <= stats["total"]["wait_mean"] <= 25 and stats["total"]["wait_max"] <= 25
    peak = max(stats["hours"], key=lambda h: h["tickets"])["hour"]
    assert 8 <= peak <= 10
    board = selectors.board_state(centre=w["other_centre"])
    assert any(c["code"] for c in board["counters"])
    active = Ticket.objects.filter(centre=w["other_centre"], status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
    assert active.values("counter").distinct().count() == active.count()  # one active ticket per counter
