"""Nhắc hạn kiến nghị: due within 7 days (the 7th day included, the 8th not), due today, overdue; once per
recommendation per day; registered in the scheduler before the sender."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.inspections import reminders, services

from .conftest import D

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_recommendation_reminders_at_the_boundaries_once_a_day(world):
    from cchc.dossiers.models import Notification

    world["head"].email = "truong.xa1@example.vn"
    world["head"].save()
    add = lambda text, deadline, unit="commune": services.recommendation_add(  # noqa: E731
        inspection=world["insp"], text=text, responsible_unit=world[unit], deadline=deadline, actor=world["par"])
    seventh, eighth, today, late = add("Hạn ngày thứ 7", D(2026, 9, 27)), add("Hạn ngày thứ 8", D(2026, 9, 28)), \
        add("Hạn hôm nay", D(2026, 9, 20)), add("Quá hạn", D(2026, 9, 19))
    done = add("Đã xong", D(2026, 9, 21))
    services.follow_up_submit(recommendation=done, text="Xong", completes=True, actor=world["head"], today=D(2026, 9, 1))
    add("Đơn vị không có email", D(2026, 9, 21), unit="commune2")
    now = datetime(2026, 9, 20, 0, 5, tzinfo=VN)
    out = reminders.remind(now=now)
    sent = {n.dedup_key.split(":")[1]: n for n in Notification.objects.filter(recipient="truong.xa1@example.vn")}
    assert out["queued"] == 3 and set(sent) == {str(seventh.pk), str(today.pk), str(late.pk)} and str(eighth.pk) not in sent
    assert sent[str(seventh.pk)].kind == "inspection_recommendation_due" and "còn 7 ngày" in sent[str(seventh.pk)].subject
    assert "đến hạn hôm nay" in sent[str(today.pk)].subject
    assert sent[str(late.pk)].kind == "inspection_recommendation_overdue" and "quá hạn 1 ngày" in sent[str(late.pk)].subject
    assert f"/kiem-tra/kien-nghi/{late.pk}/bao-cao/" in sent[str(late.pk)].body
    assert reminders.remind(now=now.replace(hour=23))["queued"] == 0           # same local day: nothing new
    assert reminders.remind(now=datetime(2026, 9, 21, 8, 0, tzinfo=VN))["queued"] == 4  # next day: the 8th-day one joins
    # a closed inspection (recommendations carried over) reminds nobody
    still_open = world["insp"].recommendations.filter(status="open").values_list("pk", flat=True)
    services.inspection_close(inspection=world["insp"], carry_over={pk: "Chờ kinh phí" for pk in still_open}, actor=world["par"])
    assert reminders.remind(now=datetime(2026, 9, 22, 8, 0, tzinfo=VN)) == {"queued": 0, "recommendations": 0}


def test_the_reminder_job_is_registered_before_the_sender():
    from cchc.dossiers import tasks
    from cchc.inspections.tasks import remind_recommendations

    order = [j.task for j in tasks.JOBS]
    assert order.count(remind_recommendations) == 1
    assert order.index(remind_recommendations) < order.index(tasks.send_pending_notifications)
    assert next(j for j in tasks.JOBS if j.task is remind_recommendations).schedule == tasks.EVERY_TICK
