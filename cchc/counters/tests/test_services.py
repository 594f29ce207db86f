"""Queue rules: numbering, opening hours, slots and capacity, call order, conflicts, transitions, audit."""

from datetime import date, timedelta

import pytest

from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError
from cchc.core.models import AuditEvent
from cchc.counters import selectors, services
from cchc.counters.models import Channel, Ticket, TicketStatus
from cchc.counters.workflow import ALLOWED_TRANSITIONS, check_transition

from .factories import local

MONDAY = date(2026, 12, 7)


def kiosk(w, group="a", at=None):
    return services.ticket_issue(centre=w["centre"], group_id=w[group].pk, now=at or local(2026, 12, 7, 8, 0))


def test_numbers_count_per_group_per_day_with_the_group_prefix(w):
    t1, t2, b1 = kiosk(w), kiosk(w), kiosk(w, "b")
    assert (t1.code, t2.code, b1.code) == ("A001", "A002", "B001")
    tuesday = kiosk(w, at=local(2026, 12, 8, 8, 0))
    assert tuesday.code == "A001" and tuesday.day == date(2026, 12, 8)


def test_kiosk_issues_from_opening_inclusive_to_closing_exclusive_on_working_days(w):
    assert kiosk(w, at=local(2026, 12, 7, 7, 30)).code == "A001"
    assert kiosk(w, at=local(2026, 12, 7, 16, 59, 59)).code == "A002"
    for at in (local(2026, 12, 7, 7, 29, 59), local(2026, 12, 7, 17, 0), local(2026, 12, 6, 9, 0), local(2026, 9, 2, 9, 0)):
        with pytest.raises(DomainError) as e:
            kiosk(w, at=at)
        assert e.value.code == "closed" and e.value.field == "issued_at"
    assert Ticket.objects.count() == 2


def test_the_demonstration_kiosk_issues_outside_hours_and_the_page_says_so(w, settings, client, monkeypatch):
    settings.QUEUE_KIOSK_ALWAYS_OPEN = True
    sunday = kiosk(w, at=local(2026, 12, 6, 20, 0))
    assert sunday.code == "A001" and sunday.day == date(2026, 12, 6)
    monkeypatch.setattr(selectors, "is_open", lambda cal, now: False)
    assert "Chế độ trình diễn" in client.get(f"/lay-so/{w['centre'].code}/").content.decode()
    settings.QUEUE_KIOSK_ALWAYS_OPEN = False
    with pytest.raises(DomainError):
        kiosk(w, at=local(2026, 12, 6, 20, 1))
    page = client.get(f"/lay-so/{w['centre'].code}/").content.decode()
    assert "Ngoài giờ làm việc" in page and 'href="/dich-vu-cong/lay-so/"' in page


def test_a_group_of_another_centre_is_refused(w):
    with pytest.raises(DomainError) as e:
        services.ticket_issue(centre=w["centre"], group_id=w["other_group"].pk, now=local(2026, 12, 7, 8))
    assert e.value.field == "group"


def test_estimated_wait_is_people_ahead_times_mean_service_over_counters(w):
    for _ in range(3):
        kiosk(w)
    t = kiosk(w)  # 3 ahead, 10 min each, group A served by counters 1 and 3
    assert selectors.ticket_view(t)["people_ahead"] == 3
    assert t.estimated_wait_minutes == 15


def test_slots_are_30_minutes_inside_working_hours_and_none_on_days_off(w):
    starts = [s["start"].strftime("%H:%M") for s in selectors.slots(group=w["a"], day=MONDAY, now=local(2026, 12, 1, 8))]
    assert starts[0] == "07:30" and starts[7] == "11:00" and "11:30" not in starts
    assert starts[8] == "13:30" and starts[-1] == "16:30" and len(starts) == 15
    assert selectors.slots(group=w["a"], day=date(2026, 12, 6), now=local(2026, 12, 1, 8)) == []
    assert selectors.slots(group=w["a"], day=date(2026, 9, 2), now=local(2026, 9, 1, 8)) == []
    later = selectors.slots(group=w["a"], day=MONDAY, now=local(2026, 12, 7, 9, 0))
    assert later[0]["start"].strftime("%H:%M") == "09:30"  # 09:00 has started: not offered


def book(w, slot, citizen="citizen", now=None, group="a"):
    return services.ticket_issue(centre=w["centre"], group_id=w[group].pk, channel=Channel.ONLINE, appointment_start=slot,
                                 citizen=w[citizen], now=now or local(2026, 12, 4, 10))


def test_online_booking_respects_capacity_slot_grid_past_and_horizon(w):
    slot = local(2026, 12, 7, 8, 0)
    t = book(w, slot)
    assert t.channel == Channel.ONLINE and t.day == MONDAY and t.code == "A001"
    book(w, slot, citizen="citizen2")
    with pytest.raises(ConflictError) as e:
        book(w, slot)
    assert e.value.code == "slot_full" and e.value.status_code == 409
    for bad, code in ((local(2026, 12, 7, 8, 15), "invalid_slot"), (local(2026, 12, 7, 11, 30), "invalid_slot"),
                      (local(2026, 12, 6, 8, 0), "invalid_slot"), (local(2026, 12, 4, 10, 0), "slot_past")):
        with pytest.raises(DomainError) as e:
            book(w, bad)
        assert e.value.code == code
    assert book(w, local(2026, 12, 18, 8, 0), now=local(2026, 12, 4, 7)).day == date(2026, 12, 18)  # exactly 14 days
    with pytest.raises(DomainError) as e:
        book(w, local(2026, 12, 21, 8, 0), now=local(2026, 12, 4, 7))
    assert e.value.code == "slot_too_far"


def test_online_booking_needs_a_signed_in_citizen(w):
    with pytest.raises(ForbiddenError):
        services.ticket_issue(centre=w["centre"], group_id=w["a"].pk, channel=Channel.ONLINE,
                              appointment_start=local(2026, 12, 7, 8), citizen=None, now=local(2026, 12, 4, 10))


def test_call_next_takes_due_appointments_first_then_first_come_first_served(w):
    early = kiosk(w, at=local(2026, 12, 7, 7, 40))
    kiosk(w, at=local(2026, 12, 7, 7, 50))
    due = book(w, local(2026, 12, 7, 8, 0))
    not_due = book(w, local(2026, 12, 7, 9, 0), citizen="citizen2")
    now = local(2026, 12, 7, 8, 5)
    first = services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=now)
    assert first.pk == due.pk and first.status == TicketStatus.CALLED and first.counter == w["c1"]
    second = services.counter_call_next(counter_id=w["c3"].pk, actor=w["officer2"], now=now)
    assert second.pk == early.pk
    assert not_due.pk not in Ticket.objects.filter(status=TicketStatus.CALLED).values_list("pk", flat=True)


def test_a_busy_counter_cannot_call_again_and_an_empty_queue_says_so(w):
    kiosk(w)
    now = local(2026, 12, 7, 8, 5)
    services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=now)
    with pytest.raises(ConflictError) as e:
        services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=now)
    assert e.value.code == "counter_busy"
    with pytest.raises(NotFoundError) as e:
        services.counter_call_next(counter_id=w["c3"].pk, actor=w["officer"], now=now)
    assert e.value.code == "queue_empty"


def test_a_stale_version_loses_with_409_and_changes_nothing(w):
    kiosk(w)
    t = services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=local(2026, 12, 7, 8, 5))
    services.ticket_act(ticket_id=t.pk, action="start", actor=w["officer"], version=t.version, now=local(2026, 12, 7, 8, 6))
    with pytest.raises(ConflictError) as e:
        services.ticket_act(ticket_id=t.pk, action="skip", actor=w["officer2"], version=t.version)
    assert e.value.code == "stale_version"
    assert Ticket.objects.get(pk=t.pk).status == TicketStatus.SERVING


@pytest.mark.parametrize("state", list(TicketStatus))
@pytest.mark.parametrize("action", services.ACTIONS)
def test_transition_table_allows_exactly_the_listed_pairs(state, action):
    allowed = ALLOWED_TRANSITIONS[action].get(state)
    if allowed is None:
        with pytest.raises(ConflictError):
            check_transition(state, action)
    else:
        assert check_transition(state, action) == allowed


def test_finish_records_service_time_links_the_dossier_and_is_audited(w):
    kiosk(w, at=local(2026, 12, 7, 8, 0))
    t = services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=local(2026, 12, 7, 8, 10))
    t = services.ticket_act(ticket_id=t.pk, action="recall", actor=w["officer"], version=t.version, now=local(2026, 12, 7, 8, 11))
    assert t.call_count == 2
    t = services.ticket_act(ticket_id=t.pk, action="start", actor=w["officer"], version=t.version, now=local(2026, 12, 7, 8, 12))
    with pytest.raises(DomainError) as e:
        services.ticket_act(ticket_id=t.pk, action="finish", actor=w["officer"], version=t.version, dossier_code="KHONG-CO")
    assert e.value.field == "dossier"
    t = services.ticket_act(ticket_id=t.pk, action="finish", actor=w["officer"], version=t.version, now=local(2026, 12, 7, 8, 27))
    assert t.status == TicketStatus.DONE
    assert selectors.ticket_wait_minutes(t) == 10 and selectors.ticket_service_minutes(t) == 15
    actions = list(AuditEvent.objects.filter(object_id=str(t.pk), action__startswith="queue.").values_list("action", flat=True))
    assert actions == ["queue.ticket_issue", "queue.ticket_call", "queue.ticket_recall", "queue.ticket_start", "queue.ticket_finish"]


def test_transfer_closes_the_ticket_and_the_target_counter_calls_it_before_others(w):
    kiosk(w, "b", at=local(2026, 12, 7, 7, 45))
    kiosk(w, at=local(2026, 12, 7, 7, 50))
    t = services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=local(2026, 12, 7, 8, 0))
    services.ticket_act(ticket_id=t.pk, action="transfer", actor=w["officer"], version=t.version, target_counter_id=w["c2"].pk,
                        now=local(2026, 12, 7, 8, 3))
    assert Ticket.objects.get(pk=t.pk).status == TicketStatus.TRANSFERRED
    nxt = services.counter_call_next(counter_id=w["c2"].pk, actor=w["officer2"], now=local(2026, 12, 7, 8, 4))
    assert nxt.code == t.code and nxt.transferred_from_id == t.pk
    with pytest.raises(DomainError):
        services.ticket_act(ticket_id=nxt.pk, action="transfer", actor=w["officer2"], version=nxt.version)


def test_officers_of_another_province_and_citizens_cannot_act(w):
    kiosk(w)
    for actor in ("other_officer", "citizen", "specialist_elsewhere"):
        with pytest.raises(ForbiddenError):
            services.counter_call_next(counter_id=w["c1"].pk, actor=w[actor], now=local(2026, 12, 7, 8, 5))
    t = services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=local(2026, 12, 7, 8, 5))
    with pytest.raises(ForbiddenError):
        services.ticket_act(ticket_id=t.pk, action="skip", actor=w["other_officer"], version=t.version)


def test_close_day_turns_yesterdays_waiting_tickets_into_no_shows(w):
    kiosk(w, at=local(2026, 12, 7, 8, 0))
    kiosk(w, at=local(2026, 12, 8, 8, 0))
    assert services.tickets_close_day(before=date(2026, 12, 8)) == 1
    assert sorted(Ticket.objects.values_list("status", flat=True)) == [TicketStatus.NO_SHOW, TicketStatus.WAITING]


def test_stats_cover_the_period_inclusively_and_an_empty_period_is_zero(w):
    kiosk(w, at=local(2026, 12, 7, 8, 0))
    t = services.counter_call_next(counter_id=w["c1"].pk, actor=w["officer"], now=local(2026, 12, 7, 8, 20))
    services.ticket_act(ticket_id=t.pk, action="finish", actor=w["officer"], version=t.version, now=local(2026, 12, 7, 8, 30))
    kiosk(w, "b", at=local(2026, 12, 8, 9, 0))
    s = selectors.queue_stats(centre=w["centre"], start=MONDAY, end=MONDAY)
    assert s["total"]["tickets"] == 1 and s["total"]["wait_mean"] == 20 and s["total"]["service_mean"] == 10
    assert s["hours"] == [{"hour": 8, "tickets": 1, "served": 1, "no_show": 0, "wait_mean": 20.0, "wait_median": 20.0, "wait_p90": 20.0,
                           "wait_max": 20.0, "service_mean": 10.0, "service_median": 10.0, "service_p90": 10.0}]
    assert s["counters"][0]["counter"] == 1
    assert selectors.queue_stats(centre=w["centre"], start=MONDAY, end=MONDAY + timedelta(days=1))["total"]["tickets"] == 2
    empty = selectors.queue_stats(centre=w["centre"], start=date(2026, 11, 1), end=date(2026, 11, 2))
    assert empty["total"]["tickets"] == 0 and empty["total"]["wait_mean"] is None and empty["groups"] == []
