"""`cchc calendar due|workdays`: the exact JSON contract, readable output and exit code 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cchc.cli import main
from cchc.units.tests.factories import make_province

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db


def run_json(capsys, *argv) -> dict:
    assert main(["calendar", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_due_in_working_days_prints_the_documented_json(capsys):
    assert run_json(capsys, "due", "--received", "2026-02-13T09:00", "--days", "3") == {
        "received": "2026-02-13T09:00:00+07:00",
        "counted_from": "2026-02-13T09:00:00+07:00",
        "due": "2026-02-25T09:00:00+07:00",
        "working_days": 3,
    }


@pytest.mark.parametrize(
    "received, days, counted_from, due",
    [
        ("2026-02-13T17:30", "1", "2026-02-23T07:30:00+07:00", "2026-02-24T07:30:00+07:00"),
        ("2026-03-02T12:00", "2", "2026-03-02T13:30:00+07:00", "2026-03-04T13:30:00+07:00"),
        ("2025-12-31T10:00", "1", "2025-12-31T10:00:00+07:00", "2026-01-05T10:00:00+07:00"),
        ("2026-02-13T02:00:00+00:00", "3", "2026-02-13T09:00:00+07:00", "2026-02-25T09:00:00+07:00"),
        ("2026-02-13T02:00Z", "0", "2026-02-13T09:00:00+07:00", "2026-02-13T09:00:00+07:00"),
    ],
)
def test_due_rule_through_the_cli(capsys, received, days, counted_from, due):
    out = run_json(capsys, "due", "--received", received, "--days", days)
    assert (out["counted_from"], out["due"], out["working_days"]) == (counted_from, due, int(days))


def test_an_aware_received_time_keeps_its_instant_and_is_printed_in_vietnam_time(capsys):
    out = run_json(capsys, "due", "--received", "2026-02-12T20:00:00-05:00", "--days", "1")
    assert out["received"] == "2026-02-13T08:00:00+07:00"


def test_hours_and_same_day_replace_the_working_days_key(capsys):
    out = run_json(capsys, "due", "--received", "2026-03-02T10:30", "--hours", "2")
    assert out == {"received": "2026-03-02T10:30:00+07:00", "counted_from": "2026-03-02T10:30:00+07:00",
                   "due": "2026-03-02T14:30:00+07:00", "working_hours": 2}
    out = run_json(capsys, "due", "--received", "2026-03-02T18:00", "--same-day")
    assert out == {"received": "2026-03-02T18:00:00+07:00", "counted_from": "2026-03-03T07:30:00+07:00",
                   "due": "2026-03-03T17:00:00+07:00", "same_day": True}


def test_workdays_counts_both_ends_and_lists_the_exceptions(capsys):
    out = run_json(capsys, "workdays", "--from", "2026-02-01", "--to", "2026-02-28")
    assert out["from"] == "2026-02-01" and out["to"] == "2026-02-28"
    assert out["working_days"] == 15
    assert [d["date"] for d in out["non_working_weekdays"]] == [f"2026-02-{d}" for d in range(16, 21)]
    assert out["working_weekend_days"] == []
    out = run_json(capsys, "workdays", "--from", "2026-01-01", "--to", "2026-01-10")
    assert out["working_days"] == 6  # 5, 6, 7, 8, 9 and the make-up Saturday 10
    assert out["non_working_weekdays"][1] == {"date": "2026-01-02", "name": "Nghỉ Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)"}
    assert out["working_weekend_days"] == [{"date": "2026-01-10", "name": "Làm bù cho thứ Sáu 02/01/2026"}]


def test_without_json_the_output_is_a_vietnamese_table(capsys):
    assert main(["calendar", "due", "--received", "2026-02-13T09:00", "--days", "3"]) == 0
    out = capsys.readouterr().out
    assert "Hạn giải quyết" in out and "25/02/2026 09:00 (thứ Tư)" in out
    assert main(["calendar", "workdays", "--from", "2026-02-01", "--to", "2026-02-28"]) == 0
    out = capsys.readouterr().out
    assert "15 ngày làm việc" in out and "Mùng hai Tết Nguyên Đán" in out


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["due", "--received", "13/02/2026", "--days", "3"], "--received"),
        (["due", "--received", "2026-02-13T09:00", "--days", "-1"], "--days"),
        (["due", "--received", "2026-02-13T09:00", "--days", "ba"], "--days"),
        (["due", "--received", "2026-02-13T09:00", "--hours", "-2"], "--hours"),
        (["due", "--received", "2026-02-13T09:00", "--days", "1", "--province", "KHONG-CO"], "--province"),
        (["workdays", "--from", "2026-02-30", "--to", "2026-03-01"], "--from"),
        (["workdays", "--from", "2026-03-01", "--to", "hôm nay"], "--to"),
        (["workdays", "--from", "2026-03-02", "--to", "2026-03-01"], "--from"),
        (["workdays", "--from", "2026-01-01", "--to", "2026-01-31", "--province", "KHONG-CO"], "--province"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(capsys, argv, flag):
    assert main(["calendar", *argv, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert flag in captured.err and captured.err.startswith("lỗi: ")


def test_province_flag_uses_that_provinces_calendar(capsys):
    from datetime import date, time

    from cchc.calendar.services import holiday_override_save, province_working_hours_set

    province = make_province(code="99")
    province_working_hours_set(actor=None, province=province, morning_start=time(8, 0), morning_end=time(12, 0),
                               afternoon_start=time(13, 0), afternoon_end=time(17, 0))
    holiday_override_save(actor=None, date=date(2026, 3, 3), is_working_day=False, name="Lễ hội", province=province)
    out = run_json(capsys, "due", "--received", "2026-03-02T07:45", "--days", "1", "--province", "99")
    assert out["counted_from"] == "2026-03-02T08:00:00+07:00" and out["due"] == "2026-03-04T08:00:00+07:00"
    out = run_json(capsys, "workdays", "--from", "2026-03-01", "--to", "2026-03-31", "--province", "99")
    assert {"date": "2026-03-03", "name": "Lễ hội"} in out["non_working_weekdays"]


def test_due_works_on_a_brand_new_empty_sqlite_database(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'moi.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "cchc.cli", "calendar", "due", "--received", "2026-01-01T09:00", "--days", "1", "--json"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # 1/1 and the swapped 2/1 (Công văn 12729/VPCP-KGVX, shipped override) are off; weekend 3–4/1
    assert json.loads(result.stdout)["due"] == "2026-01-06T07:30:00+07:00"


def test_workdays_json_also_names_the_count_as_count(capsys):
    out = run_json(capsys, "workdays", "--from", "2026-08-17", "--to", "2026-09-06")
    # 15 weekdays, minus 31/8, 1/9, 2/9, plus the make-up Saturday 22/8
    assert out["count"] == out["working_days"] == 13
    assert [d["date"] for d in out["non_working_weekdays"]] == ["2026-08-31", "2026-09-01", "2026-09-02"]
    assert [d["date"] for d in out["working_weekend_days"]] == ["2026-08-22"]


@pytest.mark.parametrize("flag", ["31", "Hải Phòng", "hai phong", "30"])  # 30 = Hải Dương, merged into Hải Phòng in 2025
def test_province_flag_accepts_a_name_or_a_pre_2025_code_and_uses_the_current_province(capsys, flag):
    from datetime import date

    from cchc.calendar.services import holiday_override_save
    from cchc.units import reference
    from cchc.units.models import Unit

    reference.load()
    hai_phong = Unit.objects.get(code="31")
    holiday_override_save(actor=None, date=date(2026, 3, 3), is_working_day=False, name="Lễ hội", province=hai_phong)
    out = run_json(capsys, "workdays", "--from", "2026-03-01", "--to", "2026-03-31", "--province", flag)
    assert {"date": "2026-03-03", "name": "Lễ hội"} in out["non_working_weekdays"]
