"""`cchc index score` — the exact CLI contract, run without touching the database."""

import json
import subprocess
import sys

import pytest

from cchc.cli import main

CRITERIA = "\ufeffcode,parent,title,max_points\nF1,,Công tác chỉ đạo,\n1.1,F1,Kế hoạch,4\n1.2,F1,Báo cáo,6\nF2,,Thủ tục hành chính,10\n2.1,F2,Công khai,10\n"


@pytest.fixture
def files(tmp_path):
    def make(criteria=CRITERIA, scores=""):
        c = tmp_path / "criteria.csv"
        s = tmp_path / "scores.csv"
        c.write_text(criteria, encoding="utf-8")
        s.write_text(scores, encoding="utf-8")
        return str(c), str(s)

    return make


def run(capsys, c, s):
    code = main(["index", "score", "--criteria", c, "--scores", s, "--json"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_prints_units_sorted_by_rank_with_ties_and_missing(files, capsys):
    c, s = files(scores=(
        "unit,code,points\n"
        "Xã Bình,1.1,4\nXã Bình,1.2,6\nXã Bình,2.1,5\n"
        "Xã An,1.1,4\nXã An,1.2,1\nXã An,2.1,10\n"
        "Phường Cầu,1.1,2\n"
        "Xã Đông,1.1,4\nXã Đông,1.2,6\nXã Đông,2.1,9.5\n"
    ))
    code, out, err = run(capsys, c, s)
    assert code == 0, err
    data = json.loads(out)
    assert [(u["unit"], u["rank"]) for u in data["units"]] == [("Xã Đông", 1), ("Xã An", 2), ("Xã Bình", 2), ("Phường Cầu", 4)]
    an = data["units"][1]
    assert an == {
        "unit": "Xã An", "total": 15.0, "max": 20.0, "index_pct": 75.0, "rank": 2,
        "fields": {"F1": {"points": 5.0, "max": 10.0, "rank": 3}, "F2": {"points": 10.0, "max": 10.0, "rank": 1}},
        "lost": [{"code": "1.2", "lost": 5.0}], "missing": [],
    }
    cau = data["units"][3]
    assert cau["missing"] == ["1.2", "2.1"] and cau["total"] == 2.0 and cau["index_pct"] == 10.0
    assert cau["lost"] == [{"code": "2.1", "lost": 10.0}, {"code": "1.2", "lost": 6.0}, {"code": "1.1", "lost": 2.0}]


@pytest.mark.parametrize(
    "criteria, scores, where",
    [
        (CRITERIA, "unit,code,points\nA,1.1,5\n", "scores.csv:2:"),
        (CRITERIA, "unit,code,points\nA,1.1,1\nA,9,1\n", "scores.csv:3:"),
        (CRITERIA, "unit,code,points\nA,1.1,-0.5\n", "scores.csv:2:"),
        (CRITERIA, "unit,code,points\nA,F1,1\n", "scores.csv:2:"),
        (CRITERIA, "unit,code,points\nA,1.1,1\nA,1.1,1\n", "scores.csv:3:"),
        (CRITERIA, "unit,code,points\nA,1.1,x\n", "scores.csv:2:"),
        (CRITERIA, "unit,code,diem\nA,1.1,1\n", "scores.csv:1:"),
        ("code,parent,title,max_points\nF,,f,5\na,F,x,4\n", "unit,code,points\n", "criteria.csv:2:"),
        ("code,parent,title,max_points\nF,,f,\na,F,x,4\na,F,y,1\n", "unit,code,points\n", "criteria.csv:4:"),
        ("code,parent,title,max_points\nF,,f,\na,Z,x,4\n", "unit,code,points\n", "criteria.csv:3:"),
        ("code,parent,title,max_points\nF,,f,\na,F,x,\n", "unit,code,points\n", "criteria.csv:3:"),
        ("code,parent,max_points\nF,,1\n", "unit,code,points\n", "criteria.csv:1:"),
    ],
)
def test_bad_input_exits_2_with_file_and_row_on_stderr(files, capsys, criteria, scores, where):
    c, s = files(criteria=criteria, scores=scores)
    code, out, err = run(capsys, c, s)
    assert code == 2 and out == ""
    assert err.startswith("lỗi: ") and where in err


def test_missing_column_message_names_the_column(files, capsys):
    c, s = files(scores="unit,code\nA,1.1\n")
    code, _, err = run(capsys, c, s)
    assert code == 2 and "points" in err


def test_score_runs_without_django_and_without_a_database(files, tmp_path):
    c, s = files(scores="unit,code,points\nA,1.1,4\n")
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/absent/never.sqlite3", "HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from cchc.cli import main; sys.exit(main(sys.argv[1:]))",
         "index", "score", "--criteria", c, "--scores", s, "--json"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["units"][0]["missing"] == ["1.2", "2.1"]
    assert not (tmp_path / "absent").exists()


def test_crlf_bom_whitespace_and_extra_columns_are_accepted(tmp_path, capsys):
    c = tmp_path / "criteria.csv"
    s = tmp_path / "scores.csv"
    c.write_bytes("\ufeffcode , parent,title,max_points,ghi_chu\r\n F1 ,,\"Cải cách, thể chế\",\r\n1.1, F1 ,a, 4 ,x\r\n1.2,F1,b,6,\r\n".encode())
    s.write_bytes("\ufeffunit,code,points,note\r\n Sở Tư pháp , 1.1 , 3.5 ,x\r\nSở Tư pháp,1.2,6,\r\n".encode())
    code, out, err = run(capsys, str(c), str(s))
    assert code == 0, err
    [u] = json.loads(out)["units"]
    assert u["unit"] == "Sở Tư pháp" and u["total"] == 9.5 and u["max"] == 10.0 and u["index_pct"] == 95.0
    assert u["lost"] == [{"code": "1.1", "lost": 0.5}] and u["missing"] == []


def test_an_empty_points_cell_is_reported_as_missing_not_refused(files, capsys):
    c, s = files(scores="unit,code,points\nXã A,1.1,4\nXã A,1.2,\n")
    code, out, err = run(capsys, c, s)
    assert code == 0, err
    [u] = json.loads(out)["units"]
    assert u["missing"] == ["1.2", "2.1"]
    assert u["lost"] == [{"code": "2.1", "lost": 10.0}, {"code": "1.2", "lost": 6.0}]


def test_every_field_is_listed_even_for_a_unit_that_scored_in_one_field_only(files, capsys):
    c, s = files(scores="unit,code,points\nXã A,2.1,7\nXã B,1.1,4\nXã B,1.2,6\nXã B,2.1,7\n")
    code, out, err = run(capsys, c, s)
    assert code == 0, err
    a = next(u for u in json.loads(out)["units"] if u["unit"] == "Xã A")
    assert list(a["fields"]) == ["F1", "F2"]
    assert a["fields"]["F1"] == {"points": 0.0, "max": 10.0, "rank": 2}
    assert a["fields"]["F2"] == {"points": 7.0, "max": 10.0, "rank": 1}


@pytest.mark.django_db
def test_report_of_an_unknown_cycle_exits_2(tmp_path, capsys):
    code = main(["index", "report", "--cycle", "987654", "--format", "pdf", "-o", str(tmp_path / "r.pdf")])
    assert code == 2 and "lỗi: " in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()
