"""`cchc serviceindex compute|warn|enter`: the JSON contract and exit code 2 naming the flag."""

import json
from datetime import date

import pytest

from cchc.cli import main
from cchc.units.models import Unit, UnitKind

from .test_compute import march  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CONTRACT_INDICATOR_KEYS = {"code", "name", "numerator", "denominator", "rate", "target", "max", "points", "source"}


def run(capsys, *argv):
    code = main(["serviceindex", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_compute_prints_the_contract(world, march, capsys, no_setup):  # noqa: F811
    code, out, _ = run(capsys, "compute", "--province", world["province"].code, "--period", "2026-03", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"province", "period", "total", "groups"} <= set(data) and set(data["total"]) >= {"points", "max"}
    assert [g["code"] for g in data["groups"]] == ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    for g in data["groups"]:
        assert {"code", "name", "max", "points", "indicators"} <= set(g)
        for i in g["indicators"]:
            assert CONTRACT_INDICATOR_KEYS <= set(i)
            for k in ("rate", "points"):
                assert i[k] is None or round(i[k], 2) == i[k]
    assert data["province"] == world["province"].code and data["period"] == "2026-03"


def test_compute_accepts_an_old_province_code(world, march, capsys, no_setup):  # noqa: F811
    old = Unit.objects.create(code="old-30", name="Tỉnh Cũ", kind=UnitKind.OLD_PROVINCE, admin_code="30", valid_to=date(2025, 6, 30))
    old.successors.add(world["province"])
    code, out, _ = run(capsys, "compute", "--province", "30", "--period", "2026-03", "--json")
    assert code == 0 and json.loads(out)["province"] == world["province"].code


@pytest.mark.parametrize("argv, flag", [
    (["compute", "--province", "T00", "--period", "2026-03"], "--province"),
    (["compute", "--province", "T99", "--period", "2026-13"], "--period"),
    (["compute", "--province", "T99", "--period", "tháng 3"], "--period"),
    (["compute", "--province", "T99", "--period", "2026-03", "--unit", "KHONG-CO"], "--unit"),
    (["compute", "--province", "T99", "--period", "2026-03", "--unit", "T98.TTHCC"], "--unit"),
    (["warn", "--province", "T99", "--days", "0"], "--days"),
    (["warn", "--province", "T99", "--days", "hai"], "--days"),
    (["enter", "--province", "T99", "--period", "2026-03", "--indicator", "2.1", "--numerator", "1", "--denominator", "2"], "--indicator"),
    (["enter", "--province", "T99", "--period", "2026-03", "--indicator", "1.1", "--numerator", "3", "--denominator", "2"], "--numerator"),
])
def test_bad_input_exits_2_naming_the_flag(world, indicator_set, capsys, no_setup, argv, flag):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith(f"lỗi: {flag}:")


def test_warn_and_enter(world, indicator_set, capsys, no_setup):
    code, out, _ = run(capsys, "warn", "--province", "T99", "--days", "2", "--json")
    data = json.loads(out)
    assert code == 0 and data["days"] == 2 and data["units"] == [] and data["dossiers"] == []
    code, out, _ = run(capsys, "enter", "--province", "T99", "--period", "2026-3", "--indicator", "1.4", "--numerator", "95",
                       "--denominator", "100", "--json")
    assert code == 0 and json.loads(out) == {"province": "T99", "unit": None, "period": "2026-03", "indicator": "1.4",
                                             "numerator": 95.0, "denominator": 100.0, "source": "entered"}


def test_import_writes_every_row_or_none(world, indicator_set, capsys, no_setup, tmp_path):
    from cchc.serviceindex.models import EnteredFigure

    good = tmp_path / "so-lieu.csv"
    good.write_text("period;indicator;numerator;denominator;unit;note\n2026-03;1.1;9;10;;Cổng DVCQG 05/04/2026\n"
                    f"2026-03;5.2;4;5;{world['dept'].code};\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(good), "--province", "T99", "--json")
    assert code == 0 and json.loads(out) == {"province": "T99", "figures": 2}
    assert EnteredFigure.objects.get(unit=world["dept"]).numerator == 4
    bad = tmp_path / "sai.csv"
    bad.write_text("period,indicator,numerator,denominator\n2026-04,1.1,1,2\n2026-04,1.2,5,2\n", encoding="utf-8")
    code, out, err = run(capsys, "import", str(bad), "--province", "T99")
    assert code == 2 and "dòng 3" in err and "tử số" in err
    assert not EnteredFigure.objects.filter(period="2026-04").exists()  # the good first row was not kept
