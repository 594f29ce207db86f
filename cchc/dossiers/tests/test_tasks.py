"""Overdue watch, notification outbox and the scheduler command."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from cchc.dossiers import services
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Notification

from .factories import applicant

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
OURS = {"watch_overdue", "send_pending_notifications"}  # higher apps may add their own jobs (serviceindex)
NIGHTLY_OURS = {"purge_pending_uploads", "purge_orphan_files"}


def receive(world, at):
    return services.dossier_receive(actor=world["officer"], procedure_code=world["procedure"].code,
                                    unit_code=world["centre"].code, channel="counter", applicant=applicant(), received_at=at)


@pytest.fixture
def dossiers(world):
    due_today = receive(world, datetime(2026, 3, 2, 9, 0, tzinfo=VN))  # due Thu 2026-03-05 09:00
    overdue = receive(world, datetime(2026, 2, 24, 9, 0, tzinfo=VN))  # due 2026-02-27 09:00
    services.dossier_transition(dossier=overdue, action=wf.ASSIGN, actor=world["officer"], assignee="chuyenvien",
                                step_allowance="1", at=datetime(2026, 2, 24, 10, 0, tzinfo=VN))
    calm = receive(world, datetime(2026, 3, 4, 9, 0, tzinfo=VN))
    return {"due_today": due_today, "overdue": overdue, "calm": calm}


def test_the_watch_flags_due_today_overdue_and_late_steps_and_queues_one_notification_each(world, dossiers):
    now = datetime(2026, 3, 5, 8, 0, tzinfo=VN)
    result = services.dossiers_watch(now=now)
    assert result["due_today"] == [dossiers["due_today"].code]
    assert result["overdue"] == [dossiers["overdue"].code]
    assert [s["code"] for s in result["late_steps"]] == [dossiers["overdue"].code]
    assert result["late_steps"][0]["user"] == "chuyenvien"
    assert result["notifications_queued"] == Notification.objects.count() >= 3
    assert Notification.objects.get(kind="step_late").recipient == "chuyenvien@example.vn"
    again = services.dossiers_watch(now=now + timedelta(hours=1))
    assert again["notifications_queued"] == 0  # one per dossier per day


def test_pending_notifications_are_sent_by_email_and_failures_are_retried(world, dossiers, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.dossiers_watch(now=datetime(2026, 3, 5, 8, 0, tzinfo=VN))
    pending = Notification.objects.count()
    result = services.notifications_send_pending()
    assert result == {"sent": pending, "failed": 0}
    assert len(mail.outbox) == pending
    assert not Notification.objects.filter(status="pending").exists()

    Notification.objects.create(kind="overdue", channel="sms", recipient="0912345678", subject="s", body="b", dedup_key="x1")
    boom = {"n": 0}

    def broken(notification):
        boom["n"] += 1
        raise RuntimeError("gateway down")

    monkeypatch.setitem(services.channels, "sms", broken)
    assert services.notifications_send_pending(max_attempts=2) == {"sent": 0, "failed": 1}
    assert Notification.objects.get(dedup_key="x1").status == "pending"
    services.notifications_send_pending(max_attempts=2)
    n = Notification.objects.get(dedup_key="x1")
    assert (n.status, n.attempts, boom["n"]) == ("failed", 2, 2) and "gateway down" in n.last_error


def test_the_tasks_can_be_called_and_enqueued(world, dossiers):
    from django_tasks_db.models import DBTaskResult

    from cchc.dossiers.tasks import send_pending_notifications, watch_overdue

    assert "overdue" in watch_overdue.call()
    result = send_pending_notifications.enqueue()
    assert DBTaskResult.objects.filter(id=result.id).exists()


def test_the_scheduler_runs_the_periodic_tasks_a_bounded_number_of_times(world, dossiers, capsys, no_setup, monkeypatch):
    from cchc.cli import main
    from cchc.dossiers import tasks

    monkeypatch.setattr(tasks, "_now", lambda: datetime(2026, 3, 5, 1, 0, tzinfo=VN))  # before the nightly hour
    assert main(["dossiers", "scheduler", "--iterations", "2", "--every", "0.0001", "--inline", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["iterations"] == 2
    ours = {"watch_overdue", "send_pending_notifications"}  # higher apps may add their own tasks (serviceindex)
    assert [r["task"] for r in out["runs"] if r["task"] in ours] == ["watch_overdue", "send_pending_notifications"] * 2
    assert main(["dossiers", "scheduler", "--once", "--json"]) == 0
    assert all("enqueued" in r for r in json.loads(capsys.readouterr().out)["runs"])
    # after 02:00 the first tick of the day also runs the two purges, the next tick does not
    monkeypatch.setattr(tasks, "_now", lambda: datetime(2026, 3, 5, 2, 10, tzinfo=VN))
    assert main(["dossiers", "scheduler", "--iterations", "2", "--every", "0.0001", "--inline", "--json"]) == 0
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [(r["iteration"], r["task"]) for r in runs if r["task"] in ours | NIGHTLY_OURS] == [
        (1, "watch_overdue"), (1, "send_pending_notifications"), (1, "purge_pending_uploads"), (1, "purge_orphan_files"),
        (2, "watch_overdue"), (2, "send_pending_notifications"),
    ]
    result = {r["task"]: r["result"] for r in runs if r["iteration"] == 1}
    assert result["purge_pending_uploads"]["purged"] == 0 and result["purge_orphan_files"]["deleted"] == 0


def test_the_job_registry_holds_the_nightly_purges():
    from cchc.dossiers import tasks

    schedule = {j.name: j.schedule for j in tasks.JOBS}
    assert {n: s for n, s in schedule.items() if n in OURS | NIGHTLY_OURS} == {
        "watch_overdue": tasks.EVERY_TICK, "send_pending_notifications": tasks.EVERY_TICK,
        "purge_pending_uploads": tasks.NIGHTLY, "purge_orphan_files": tasks.NIGHTLY}
    assert tasks.NIGHTLY_FROM.hour == 2 and tasks.NIGHTLY_FROM.minute == 0


def test_a_higher_app_registers_its_job_once_and_in_place(monkeypatch):
    from cchc.dossiers import tasks

    monkeypatch.setattr(tasks, "JOBS", list(tasks.JOBS))
    extra = object()
    job = tasks.register(extra, before=tasks.send_pending_notifications)
    assert tasks.register(extra, before=tasks.send_pending_notifications) is job  # idempotent
    order = [j.task for j in tasks.JOBS]
    assert order.count(extra) == 1 and order.index(extra) == order.index(tasks.send_pending_notifications) - 1
    with pytest.raises(ValueError):
        tasks.register(object(), schedule="weekly")


@pytest.mark.parametrize(("ticks", "nightly_runs"), [
    ([datetime(2026, 3, 5, 1, 59, 59, tzinfo=VN)], []),                                  # one second before 02:00
    ([datetime(2026, 3, 5, 2, 0, tzinfo=VN)], [1]),                                      # exactly 02:00
    ([datetime(2026, 3, 5, 2, 0, tzinfo=VN), datetime(2026, 3, 5, 2, 15, tzinfo=VN)], [1]),  # once a day
    ([datetime(2026, 3, 5, 23, 59, tzinfo=VN), datetime(2026, 3, 6, 1, 0, tzinfo=VN),
      datetime(2026, 3, 6, 2, 0, tzinfo=VN)], [1, 3]),                                    # next day after 02:00 only
    ([datetime(2026, 3, 4, 19, 0, tzinfo=ZoneInfo("UTC"))], [1]),                        # 02:00 local, given in UTC
    ([datetime(2026, 3, 5, 14, 0, tzinfo=VN)], [1]),                                     # a missed night is caught up
])
def test_nightly_jobs_run_once_per_local_day_from_two_oclock(db, ticks, nightly_runs):
    from cchc.dossiers import tasks
    from cchc.dossiers.models import PeriodicRun

    ran = []
    for i, now in enumerate(ticks, start=1):
        names = [j.name for j in tasks.jobs_due(now=now) if j.name in OURS | NIGHTLY_OURS]
        assert names[:2] == ["watch_overdue", "send_pending_notifications"]
        if "purge_pending_uploads" in names:
            assert names[2:] == ["purge_pending_uploads", "purge_orphan_files"]
            ran.append(i)
        else:
            assert names[2:] == []
    assert ran == nightly_runs
    assert PeriodicRun.objects.filter(job__in=NIGHTLY_OURS).count() == 2 * len(nightly_runs)  # higher apps add theirs


def test_purge_command_prints_the_counts(world, capsys, no_setup):
    from cchc.cli import main

    assert main(["dossiers", "purge", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"pending_uploads": 0, "orphan_files": 0}


def test_the_watch_command_prints_json(world, dossiers, capsys, no_setup):
    from cchc.cli import main

    assert main(["dossiers", "watch", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"due_today", "overdue", "late_steps", "notifications_queued"}
    assert dossiers["overdue"].code in data["overdue"]


def test_cli_refuses_bad_input_with_exit_code_2(world, capsys, no_setup):
    from cchc.cli import main

    assert main(["dossiers", "stats", "--from", "2026-02-30", "--to", "2026-03-01"]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["dossiers", "scheduler", "--every", "0", "--once"]) == 2
    assert main(["dossiers", "stats", "--from", "2026-01-01", "--to", "2026-03-01", "--group-by", "colour"]) == 2


def test_the_watch_uses_the_statistics_definition_of_overdue(world, dossiers):
    from cchc.dossiers.selectors import dossier_statistics

    paused = receive(world, datetime(2026, 2, 25, 9, 0, tzinfo=VN))  # due 2026-03-02 09:00
    services.dossier_transition(dossier=paused, action=wf.REQUEST_SUPPLEMENT, actor=world["officer"], reason="Thiếu giấy tờ",
                                at=datetime(2026, 2, 26, 9, 0, tzinfo=VN))
    now = datetime(2026, 3, 5, 8, 0, tzinfo=VN)
    result = services.dossiers_watch(now=now)
    assert paused.code not in result["overdue"] and paused.code not in result["due_today"]
    [row] = dossier_statistics(date_from=datetime(2026, 2, 1).date(), date_to=now.date(), group_by=(), now=now)
    assert row["in_process_overdue"] == len(result["overdue"]) == 1
