"""Index pages and documents write numbers the Vietnamese way (3,25 — never 3.25) and mark an unchanged rank
with a sign every font has ("=" / "không đổi", not the CJK "＝" that printed as an empty box)."""

import re
import subprocess
import tempfile

import pytest
from django.urls import reverse

from cchc.indices import demo, reports
from cchc.indices.models import AssessmentCycle, Criterion
from cchc.indices.services import data_explanation
from cchc.surveys.templatetags.cchc_index import rank_move
from cchc.units.models import UnitKind

from . import factories as f

pytestmark = pytest.mark.django_db

# a number written with a decimal point: "3.25", "66.6700" — but not a criterion code ("3.2.1") nor a date
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        return subprocess.run(["pdftotext", "-layout", tmp.name, "-"], capture_output=True, check=True).stdout.decode()


def decimal_points(text: str, codes: set[str]) -> list[str]:
    return [m.group(0) for m in DECIMAL_POINT.finditer(text) if m.group(0) not in codes]


@pytest.fixture
def cycles():
    prov = f.province("Tỉnh Demo")
    deps = {f"d{i}": f.unit(parent=prov, name=f"Sở {i}") for i in range(5)}
    communes = [f.unit(kind=UnitKind.COMMUNE, parent=prov, name=f"Xã {i}") for i in range(4)]
    par = f.par_office(deps["d0"])
    demo.build({"province": prov, "departments": deps, "communes": communes, "logins": []})
    c2025 = AssessmentCycle.objects.get(year=2025, criteria_set__target_group="department")
    c2026 = AssessmentCycle.objects.get(year=2026, criteria_set__target_group="department")
    codes = set(Criterion.objects.filter(criteria_set__in=[c2025.criteria_set, c2026.criteria_set]).values_list("code", flat=True))
    return {"c2025": c2025, "c2026": c2026, "codes": codes, "par": par}


def test_ranking_and_lost_points_pdfs_have_no_decimal_point_and_no_missing_glyph(cycles):
    for cycle in (cycles["c2025"], cycles["c2026"]):
        for data in (reports.ranking_pdf(cycle_id=cycle.pk), reports.lost_points_pdf(cycle_id=cycle.pk)):
            text = pdf_text(data)
            assert "Sở 1" in text  # the document was read
            assert decimal_points(text, cycles["codes"]) == []
            assert "＝" not in text


def test_the_lost_points_pdf_names_the_metric_of_an_automatic_score(cycles):
    text = pdf_text(reports.lost_points_pdf(cycle_id=cycles["c2025"].pk))
    assert "on_time_rate" not in text
    if "Tính tự động từ số liệu" in text:  # the demo scores the on-time criterion from dossier figures
        assert "tỷ lệ hồ sơ giải quyết đúng hạn" in re.sub(r"\s+", " ", text)


def test_the_results_page_of_the_latest_cycle_writes_numbers_with_commas(client, cycles):
    client.force_login(cycles["par"])
    html = client.get(reverse("indices:results", args=[cycles["c2026"].pk])).content.decode()
    cells = re.findall(r'<td class="num[^"]*"[^>]*>(.*?)</td>', html, flags=re.S)
    assert cells
    shown = " ".join(re.sub(r"<[^>]+>", " ", c) for c in cells)
    assert decimal_points(shown, cycles["codes"]) == []
    assert "＝" not in html


@pytest.mark.parametrize(("move", "text", "label"), [
    (3, "▲3", "tăng 3 bậc"), (-2, "▼2", "giảm 2 bậc"), (0, ">=<", "không đổi"), ("0", ">=<", "không đổi"),
])
def test_rank_move_marks_up_down_and_unchanged_with_words_for_screen_readers(move, text, label):
    html = str(rank_move(move))
    assert text in html and f'aria-label="{label}"' in html and "＝" not in html


@pytest.mark.parametrize("move", [None, "", "abc"])
def test_an_unknown_rank_move_shows_nothing(move):
    assert rank_move(move) == ""


@pytest.mark.parametrize(("change", "expected"), [
    ({"rank": 0, "index_pct": 2.25}, "không đổi (+2,25)"),
    ({"rank": 0, "index_pct": 0}, "không đổi (+0,00)"),
    ({"rank": 4, "index_pct": -1.5}, "▲4 (-1,50)"),
    ({"rank": -1, "index_pct": 1234.5}, "▼1 (+1.234,50)"),
    (None, "—"),
])
def test_the_pdf_change_column(change, expected):
    assert reports._change_text({"change": change}) == expected


@pytest.mark.parametrize(("metric", "value", "expected"), [
    ("on_time_rate", "66.6700", "Tính tự động từ số liệu: tỷ lệ hồ sơ giải quyết đúng hạn 66,67 %"),
    ("on_time_rate", 0, "Tính tự động từ số liệu: tỷ lệ hồ sơ giải quyết đúng hạn 0 %"),
    ("so_cuoc_hop", "3.25", "Tính tự động từ số liệu: so_cuoc_hop = 3,25"),
])
def test_the_automatic_explanation_names_the_metric_and_writes_a_decimal_comma(metric, value, expected):
    assert data_explanation(metric, value) == expected
