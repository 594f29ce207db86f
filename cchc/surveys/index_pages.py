"""The national-index pages of the index section (/chi-so/): the province's history of the published
national indices (PAR INDEX, SIPAS, PAPI, PCI, ICT) beside its own assessment cycles, and the import of
published results.

They live in `surveys` because they read its published results: `indices` is the lower app and never
imports `surveys` (core → … → dossiers → indices → surveys). `cchc/urls.py` mounts them under the
`indices:` URL names (`indices:home`, `indices:import`) so links and paths stay as they were.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from cchc.accounts.permissions import can
from cchc.core.errors import DomainError
from cchc.indices import selectors as index_selectors
from cchc.units.models import Unit

from . import selectors as survey_selectors


def _staff(request):
    user = request.user
    if not (getattr(user, "is_staff_member", False) or getattr(user, "is_system_admin", False)):
        raise PermissionDenied
    return user


def _home_province(user):
    if user.unit_id:
        return user.unit.province_unit
    return None


@login_required
def home(request):
    """Trang chỉ số: kỳ đánh giá, diễn biến các chỉ số quốc gia của tỉnh (biểu đồ + bảng có nguồn)."""
    user = _staff(request)
    province = _home_province(user)
    if province is None and user.is_system_admin:
        code = request.GET.get("tinh")
        province = Unit.objects.filter(code=code).first() if code else None
    history = survey_selectors.national_history(province=province)
    charts = {}
    for kind in ("par_index", "sipas", "papi", "pci", "ict"):
        charts[kind] = survey_selectors.chart_data(history, kind, averages=survey_selectors.national_averages(kind))
    tables = [s for s in history.values() if s["rows"]]
    flagged_count = sum(1 for s in tables for r in s["rows"] if r.flagged)
    return render(request, "indices/home.html", {
        "province": province,
        "cycles": index_selectors.cycles_visible(user).order_by("-year", "name"),
        "tables": tables,
        "charts": charts,
        "has_charts": any(c["years"] for c in charts.values()),
        "chart_has": {k: {"scores": any(s.get("label") != "Trung bình cả nước" for s in c["scores"]), "ranks": bool(c["ranks"])}
                      for k, c in charts.items()},
        "flagged_count": flagged_count,
        "other_kinds": [("papi", "PAPI"), ("pci", "PCI"), ("ict", "ICT Index")],
        "can_import": can(user, "appraise", province) if province else user.is_system_admin,
    })


@login_required
def import_results(request):
    """Nhập kết quả chỉ số đã công bố (CSV): shows the import summary with flags and rejections."""
    from .services import published_results_import

    user = _staff(request)
    province = _home_province(user)
    if not (user.is_system_admin or (province is not None and can(user, "appraise", province))):
        raise PermissionDenied
    summary, error = None, None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Chọn tệp CSV."
        elif upload.size > 5 * 1024 * 1024:
            error = "Tệp quá lớn (tối đa 5 MB)."
        else:
            import tempfile
            from pathlib import Path

            name = Path(upload.name).name or "ket-qua.csv"
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / name
                with open(path, "wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                kind = request.POST.get("index_kind") or None
                try:
                    summary = published_results_import(path=path, actor=user, index_kind=kind)
                except DomainError as exc:
                    error = exc.message
    return render(request, "indices/import.html", {"summary": summary, "error": error, "summary_kinds": _kind_labels(summary)},
                  status=400 if error else 200)


def _kind_labels(summary) -> list[str]:
    """Vietnamese names of the index kinds an import touched ("par_index" → "Chỉ số CCHC (PAR INDEX)")."""
    from .models import IndexKind

    if not summary:
        return []
    kinds = summary.get("index_kind")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or []) if isinstance(kinds, (list, tuple)) else []
    labels = dict(IndexKind.choices)
    return [labels.get(k, k) for k in kinds]
