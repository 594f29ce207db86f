"""Property-based test of the services on a real database (hypothesis RuleBasedStateMachine).

Whatever sequence of actions people try, at whatever times:
- no dossier is lost: each is in exactly one known state and findable by its code;
- the due time never precedes intake: due_at ≥ counted_from ≥ received_at;
- pause time is not counted: each pause moves the due time by exactly the working time it consumed;
- a refused action changes nothing (state and version unchanged).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from cchc.core.errors import DomainError
from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
WORLD: dict = {}


class DossierMachine(RuleBasedStateMachine):
    dossiers = Bundle("dossiers")

    def __init__(self):
        super().__init__()
        self.now = datetime(2026, 1, 5, 8, 0, tzinfo=VN)
        self.codes: list[str] = []

    @rule(target=dossiers, channel=st.sampled_from(["counter", "post", "online"]))
    def receive(self, channel):
        d = services.dossier_receive(actor=WORLD["officer"], procedure_code=WORLD["procedure"].code,
                                     unit_code=WORLD["centre"].code, channel=channel, applicant=applicant(),
                                     received_at=self.now)
        self.codes.append(d.code)
        return d.code

    @rule(target=dossiers)
    def submit_online(self):
        d = services.dossier_submit_online(procedure_code=WORLD["procedure"].code, unit_code=WORLD["centre"].code,
                                           applicant=applicant(), now=self.now)
        self.codes.append(d.code)
        return d.code

    @rule(minutes=st.integers(min_value=1, max_value=4 * 24 * 60))
    def time_passes(self, minutes):
        self.now += timedelta(minutes=minutes)

    @rule(code=dossiers, action=st.sampled_from(wf.ACTIONS), stale=st.booleans(), step_days=st.sampled_from([None, "0.5", "1", "9"]))
    def act(self, code, action, stale, step_days):
        before = Dossier.objects.get(code=code)
        params = {"reason": "Lý do thử nghiệm"}
        if action in (wf.ASSIGN, wf.HANDOVER):
            params.update(assignee="chuyenvien", step_allowance=step_days)
        if action == wf.APOLOGISE and (before.promised_at or before.due_at):
            params["new_due_at"] = (before.promised_at or before.due_at) + timedelta(days=3)
        version = before.version - 1 if stale else before.version
        try:
            after = services.dossier_transition(code=code, action=action, actor=WORLD["officer"], version=version,
                                                at=self.now, **params)
        except DomainError:
            again = Dossier.objects.get(code=code)
            assert (again.status, again.version, again.due_at) == (before.status, before.version, before.due_at)
            return
        assert not stale
        assert after.version == before.version + 1
        assert after.status == wf.check_transition(
            before.status, wf.RETURN_LATE if action == wf.RETURN and services.is_late(before) else action,
            previous_state=after.status if action in (wf.SUPPLY, wf.RESUME) else None).to_state

    @invariant()
    def nothing_is_lost_and_the_clock_is_sound(self):
        cal = services.get_calendar(WORLD["province"])
        found = {d.code: d for d in Dossier.objects.filter(code__in=self.codes)}
        assert set(found) == set(self.codes)
        for d in found.values():
            assert d.status in wf.STATES
            if d.received_at is not None:
                assert d.received_at <= d.counted_from <= d.original_due_at <= d.due_at
                total = 0
                for p in d.pauses.all():
                    assert p.started_at >= d.received_at
                    if p.ended_at is None:
                        continue
                    assert p.working_seconds == (cal.working_seconds_between(p.started_at, p.ended_at) if p.ended_at > p.started_at else 0)
                    assert p.due_after == (cal.add_working_seconds(p.due_before, p.working_seconds) if p.working_seconds else p.due_before)
                    total += p.working_seconds
                assert cal.working_seconds_between(d.original_due_at, d.due_at) == total
            else:
                assert d.status in (wf.WAITING_ACCEPTANCE, wf.REJECTED, wf.WITHDRAWN) and d.due_at is None
            if d.status in wf.PAUSED_STATES:
                assert d.pauses.filter(ended_at__isnull=True).count() == 1
            else:
                assert not d.pauses.filter(ended_at__isnull=True).exists()
            assert d.steps.filter(finished_at__isnull=True).count() <= 1


def test_no_sequence_of_actions_loses_a_dossier_or_breaks_its_clock(world):
    WORLD.clear()
    WORLD.update(world)
    run_state_machine_as_test(
        DossierMachine,
        settings=settings(max_examples=30, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
