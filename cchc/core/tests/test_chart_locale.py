"""Every chart reads numbers the Vietnamese way: no template loads Chart.js except through templates/_chartjs.html,
which loads static/cchc/charts.js (Chart.defaults.locale = "vi-VN") right after the library."""

from pathlib import Path

import cchc

ROOT = Path(cchc.__file__).parent


def test_every_template_with_a_chart_loads_chartjs_through_the_one_include():
    offenders, with_charts = [], []
    for path in ROOT.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if path.name == "_chartjs.html":
            continue
        if "chart.umd" in text:
            offenders.append(str(path.relative_to(ROOT)))
        if "new Chart(" in text:
            with_charts.append(path)
            if '{% include "_chartjs.html" %}' not in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert with_charts, "the scan found the chart pages"
    assert offenders == []


def test_the_include_sets_the_locale_after_the_library():
    include = (ROOT / "templates" / "_chartjs.html").read_text(encoding="utf-8")
    assert include.index("vendor/chart.umd.min.js") < include.index("cchc/charts.js")
    assert 'Chart.defaults.locale = "vi-VN"' in (ROOT / "static" / "cchc" / "charts.js").read_text(encoding="utf-8")
