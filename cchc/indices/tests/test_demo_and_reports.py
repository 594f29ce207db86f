"""Demo builder (idempotent, published 2025 + open 2026), reports and the report/import CLI commands."""

import io
import json

import pytest
from openpyxl import load_workbook

from cchc.cli import main
from cchc.indices import demo, reports, selectors
from cchc.indices.models import AssessmentCycle, CycleState
from cchc.units.models import UnitKind

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx():
    prov = f.province("Tỉnh Demo")
    deps = {f"d{i}": f.unit(parent=prov, name=f"Sở {i}") for i in range(5)}
    communes = [f.unit(kind=UnitKind.WARD if i % 3 == 0 else UnitKind.COMMUNE, parent=prov, name=f"Xã {i}") for i in range(6)]
    f.par_office(deps["d0"])
    return {"province": prov, "departments": deps, "communes": communes, "logins": []}


def test_demo_publishes_2025_and_opens_2026_and_is_idempotent(ctx):
    out = io.StringIO()
    demo.build(ctx, stdout=out)
    published = AssessmentCycle.objects.filter(year=2025).exclude(criteria_set__target_group="province")
    assert published.count() == 2 and all(c.state == CycleState.PUBLISHED for c in published)
    states_2026 = dict(AssessmentCycle.objects.filter(year=2026).values_list("criteria_set__target_group", "state"))
    assert states_2026 == {"department": CycleState.APPRAISAL_1, "commune": CycleState.SELF_ASSESSMENT}
    dept_2026 = AssessmentCycle.objects.get(year=2026, criteria_set__target_group="department")
    assert dept_2026.previous.year == 2025 and dept_2026.assessments.filter(appraisal1_points__isnull=False).exists()
    communes = published.get(criteria_set__target_group="commune")
    rows = selectors.cycle_results(cycle=communes)
    assert len(rows) == 6 and {r["group"] for r in rows} == {"commune"}  # wards rank with communes
    assert any(r["stage_totals"]["self"] != r["stage_totals"]["appraisal_2"] for r in rows)
    assert "Lộ trình" in out.getvalue()
    demo.build(ctx)
    assert AssessmentCycle.objects.count() == 5  # + the province's national PAR INDEX 2025 (illustrative)


def test_demo_national_cycle_has_lost_points_assigned_explained_accepted_and_overdue():
    """With the real department names, the default mapping finds Sở Tư pháp, Sở Nội vụ, ...; the demo spreads
    the rows over every status and some are overdue."""
    from cchc.accounts.models import Role
    from cchc.indices import lost_selectors
    from cchc.indices.models import LostPointAssignment

    prov = f.province("Tỉnh Demo")
    names = ["Sở Nội vụ tỉnh Demo", "Sở Tư pháp tỉnh Demo", "Văn phòng Ủy ban nhân dân tỉnh Demo", "Sở Tài chính tỉnh Demo",
             "Sở Khoa học và Công nghệ tỉnh Demo"]
    deps = {n: f.unit(parent=prov, name=n) for n in names}
    f.par_office(deps[names[0]])
    f.user(Role.UNIT_HEAD, deps[names[1]])
    demo.build({"province": prov, "departments": {str(i): d for i, d in enumerate(deps.values())}, "communes": [], "logins": []})
    cycle = AssessmentCycle.objects.get(criteria_set__target_group="province", organiser=prov)
    assert cycle.state == CycleState.PUBLISHED and "minh họa" in cycle.name
    rows = lost_selectors.national_lost_points(cycle=cycle)
    statuses = {r["status"] for r in rows}
    assert {"assigned", "explained", "accepted", "more_requested"} <= statuses and "unassigned" not in statuses
    assert any(r["overdue"] for r in rows)
    assert {r["department_name"] for r in rows} == set(names)
    assert LostPointAssignment.objects.filter(department=deps[names[1]], status="explained").exists()


def test_lost_points_reports_render_as_xlsx_and_pdf_through_the_cli(ctx, tmp_path, capsys):
    demo.build(ctx)
    cycle = AssessmentCycle.objects.get(year=2025, criteria_set__target_group="department")
    xlsx_path = tmp_path / "r.xlsx"
    assert main(["index", "report", "--cycle", str(cycle.pk), "--format", "xlsx", "-o", str(xlsx_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "xlsx"
    wb = load_workbook(xlsx_path)
    ws = wb["Điểm bị trừ"]
    assert ws["A4"].value == "STT"
    lost_col = [ws.cell(row=r, column=7).value for r in range(5, ws.max_row + 1)]
    assert lost_col == sorted(lost_col, reverse=True)
    assert wb["Xếp hạng"]["A2"].value == "Sở, ban, ngành"
    pdf_path = tmp_path / "r.pdf"
    assert main(["index", "report", "--cycle", str(cycle.pk), "--format", "pdf", "-o", str(pdf_path)]) == 0
    assert pdf_path.read_bytes().startswith(b"%PDF")
    html = reports.lost_points_html(cycle_id=cycle.pk)
    assert "A4 landscape" in html and "Noto Serif" in html
    assert main(["index", "report", "--cycle", "999999", "--format", "pdf", "-o", str(pdf_path)]) == 2


def test_import_results_calls_the_surveys_importer_and_reports_bad_files(tmp_path, capsys):
    path = tmp_path / "par.csv"
    path.write_text("khong,co,cot\n1,2,3\n", encoding="utf-8")
    code = main(["index", "import-results", str(path), "--json"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "lỗi: " in captured.err


@pytest.mark.django_db
def test_demo_index_data_criteria_are_the_dossier_selectors_figures(monkeypatch):
    """On the real demo chain (small), each unit's on-time and online figures are dossier_statistics' own."""
    import datetime as dt
    import importlib

    from django.db.models import Q

    from cchc.dossiers.selectors import dossier_statistics
    from cchc.indices.models import CriterionDatum

    monkeypatch.setenv("CCHC_DEMO_DOSSIERS", "3000")
    for name in ("cchc.units.reference", "cchc.calendar.reference", "cchc.catalog.reference", "cchc.indices.reference"):
        importlib.import_module(name).load()
    ctx: dict = {"logins": []}
    for name in ("cchc.units.demo", "cchc.accounts.demo", "cchc.catalog.demo", "cchc.dossiers.demo", "cchc.indices.demo"):
        importlib.import_module(name).build(ctx)
    years = dict(AssessmentCycle.objects.values_list("pk", "year"))
    assert sorted(set(years.values())) == [2025, 2026]
    data = CriterionDatum.objects.filter(source__startswith="dossier_statistics").select_related("unit")
    assert data.filter(metric="on_time_rate").count() >= 96  # every commune, at least in one year
    checked = 0
    for d in data.filter(unit__kind__in=(UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DEPARTMENT)).order_by("pk")[:40]:
        year = years[d.cycle_id]
        period = {"date_from": dt.date(year, 1, 1), "date_to": min(dt.date(year, 12, 31), dt.date.today()), "group_by": ()}
        if d.unit.kind == UnitKind.DEPARTMENT:
            [row] = dossier_statistics(units=None, where=Q(handling_unit=d.unit) & ~Q(unit__kind=UnitKind.ONE_STOP_DESK), **period)
        else:
            [row] = dossier_statistics(units=[d.unit, *d.unit.children.all()], **period)
        expected = row["on_time_rate"] if d.metric == "on_time_rate" else row["online_share"]
        assert float(d.value) == pytest.approx(expected, abs=0.01), (d.unit.name, year, d.metric)
        checked += 1
    assert checked == 40
