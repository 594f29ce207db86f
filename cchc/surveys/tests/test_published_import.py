"""Import of published national-index results: detection, flags, rejections, idempotency."""

from pathlib import Path

import pytest

from cchc.core.errors import DomainError
from cchc.surveys.models import PublishedAggregate, PublishedResult
from cchc.surveys.services import published_results_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = (
    "nam,loai_don_vi,don_vi,chi_so_pct,thu_hang,tong_so_don_vi,kieu_thu_hang,nhom,chi_so_nam_truoc_pct_theo_nguon,"
    "bien_dong_pct_theo_nguon,bien_dong_thu_hang_theo_nguon,nguon_tin,source_url,ghi_chu\n"
)


def write(tmp_path, name, body, header=HEADER):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def flagged_rows(summary):
    return {f["row"]: f["message"] for f in summary["flagged"]}


def test_sipas_change_that_does_not_match_the_two_scores_is_imported_with_a_flag(tmp_path):
    path = write(tmp_path, "sipas.csv", (
        "2024,tỉnh,Hải Phòng,90.59,1,63,chính xác,,,+1.69,+4,Petrotimes,https://a.example/sipas-2024,\n"
        "2023,tỉnh,Hải Phòng,88.09,5,63,chính xác,,,,,DN&HN,https://b.example/sipas-2023,\n"
    ))
    summary = published_results_import(path=path)
    assert summary["index_kind"] == "sipas"
    assert summary["imported"] == 2 and summary["rejected"] == []
    flags = flagged_rows(summary)
    assert "+1.69" in flags[2] and "88.90" in flags[2] and "88.09" in flags[2]
    assert 3 in flags  # the other half of the pair is flagged too
    row = PublishedResult.objects.get(year=2024, index_kind="sipas")
    assert row.flagged and row.source_url == "https://a.example/sipas-2024"


def test_a_change_that_matches_is_not_flagged(tmp_path):
    path = write(tmp_path, "sipas.csv", (
        "2024,tỉnh,Long An,82.71,41,63,chính xác,,78.66,+4.05,+16,Báo Long An,https://a.example/la,\n"
        "2023,tỉnh,Long An,78.66,57,63,chính xác,,,,,Báo Long An,https://a.example/la,\n"
    ))
    summary = published_results_import(path=path)
    assert summary["flagged"] == [] and summary["imported"] == 2


def test_rank_change_that_does_not_match_the_two_ranks_is_flagged(tmp_path):
    path = write(tmp_path, "par.csv", (
        "2024,tỉnh,Long An,82.71,41,63,chính xác,,,,+10,Báo Long An,https://a.example/la,\n"
        "2023,tỉnh,Long An,78.66,57,63,chính xác,,,,,Báo Long An,https://a.example/la,\n"
    ))
    flags = flagged_rows(published_results_import(path=path))
    assert "+10" in flags[2] and "57" in flags[2]


def test_two_sources_with_different_scores_for_one_figure_are_both_flagged(tmp_path):
    path = write(tmp_path, "par_index.csv", (
        "2023,tỉnh,Hải Phòng,91.87,2,63,chính xác,A,,,,Báo Chính phủ,https://a.example/par2023,\n"
        "2023,tỉnh,Hải Phòng,91.81,2,63,chính xác,A,,+1.72,,DN&HN,https://b.example/par2023,\n"
    ))
    summary = published_results_import(path=path)
    assert summary["index_kind"] == "par_index"
    flags = flagged_rows(summary)
    assert set(flags) == {2, 3}
    assert "91.87" in flags[2] and "91.81" in flags[2]
    assert PublishedResult.objects.filter(year=2023, flagged=True).count() == 2


def test_shipped_files_flag_the_documented_inconsistencies():
    par = published_results_import(path=DATA / "par_index_reported.csv")
    sip = published_results_import(path=DATA / "sipas_reported.csv")
    agg = published_results_import(path=DATA / "par_sipas_aggregates.csv")
    assert par["rejected"] == [] and sip["rejected"] == [] and agg["rejected"] == []
    assert par["imported"] == 47 and sip["imported"] == 50 and agg["imported"] == 25
    # PAR 2023 Hải Phòng: two sources (file lines 7 and 8)
    assert {7, 8} <= set(flagged_rows(par))
    # PAR 2023 last place: An Giang vs Bình Thuận / Sóc Trăng
    assert "An Giang" in flagged_rows(par)[12]
    # SIPAS Hải Phòng 2024 +1.69 vs 2023 88.09
    assert "88.09" in flagged_rows(sip)[2]
    # Aggregates: 53 up + 9 down ≠ 63, and 88.51 − 87.72 ≠ +1.58
    agg_flags = flagged_rows(agg)
    assert "62" in agg_flags[2] and "63" in agg_flags[2]
    assert "+0.79" in agg_flags[5]
    # Checks that pass stay clean: SIPAS national averages, Long An
    assert PublishedAggregate.objects.filter(index_kind="sipas", measure="trung bình", flagged=True).count() == 0
    assert not PublishedResult.objects.filter(entity_name="Long An", index_kind="sipas", flagged=True).exists()


def test_import_is_idempotent(tmp_path):
    first = published_results_import(path=DATA / "sipas_reported.csv")
    second = published_results_import(path=DATA / "sipas_reported.csv")
    assert second["imported"] == 0 and second["updated"] == 0 and second["unchanged"] == first["imported"]
    assert PublishedResult.objects.count() == first["imported"]
    assert [f["row"] for f in second["flagged"]] == [f["row"] for f in first["flagged"]]


def test_a_corrected_figure_updates_the_row_and_clears_its_flag(tmp_path):
    body = "2024,tỉnh,Hải Phòng,90.59,1,63,chính xác,,,+1.69,,P,https://a.example/s,\n" \
           "2023,tỉnh,Hải Phòng,88.09,5,63,chính xác,,,,,D,https://b.example/s,\n"
    published_results_import(path=write(tmp_path, "sipas.csv", body))
    fixed = published_results_import(path=write(tmp_path, "sipas.csv", body.replace("88.09", "88.90")))
    assert fixed["updated"] == 1 and fixed["flagged"] == []
    assert not PublishedResult.objects.filter(flagged=True).exists()


@pytest.mark.parametrize(
    "line, reason_part",
    [
        ("20x4,tỉnh,Hà Nội,90,1,63,chính xác,,,,,S,https://s,", "Năm"),
        ("2024,tỉnh,,90,1,63,chính xác,,,,,S,https://s,", "tên đơn vị"),
        ("2024,tỉnh,Hà Nội,190,1,63,chính xác,,,,,S,https://s,", "0–100"),
        ("2024,tỉnh,Hà Nội,abc,1,63,chính xác,,,,,S,https://s,", "không phải là số"),
        ("2024,tỉnh,Hà Nội,90,64,63,chính xác,,,,,S,https://s,", "lớn hơn tổng số"),
        ("2024,tỉnh,Hà Nội,90,0,63,chính xác,,,,,S,https://s,", "≥ 1"),
        ("2024,tỉnh,Hà Nội,,,63,,,,,,S,https://s,", "không có số liệu"),
        ("2024,xã,Hà Nội,90,1,63,chính xác,,,,,S,https://s,", "Loại đơn vị"),
    ],
)
def test_rows_that_cannot_be_right_are_rejected_with_a_reason(tmp_path, line, reason_part):
    summary = published_results_import(path=write(tmp_path, "par.csv", line + "\n"))
    assert summary["imported"] == 0
    assert summary["rejected"][0]["row"] == 2
    assert reason_part in summary["rejected"][0]["reason"]


def test_duplicate_rows_in_one_file_are_rejected_once(tmp_path):
    line = "2024,tỉnh,Hà Nội,90,3,63,chính xác,,,,,S,https://s,\n"
    summary = published_results_import(path=write(tmp_path, "par.csv", line + line))
    assert summary["imported"] == 1
    assert summary["rejected"] == [{"row": 3, "reason": "Trùng với dòng 2 (cùng chỉ số, năm, đơn vị và nguồn)."}]


def test_index_column_wins_and_bom_and_comma_decimals_work(tmp_path):
    header = "\ufeffnam,chi_so,thanh_phan,loai_don_vi,don_vi,chi_so_pct,thu_hang,tong_so_don_vi,thu_hang_vung,source_url\n"
    body = "2023,PCI,,tỉnh,Quảng Ninh,\"73,02\",1,63,1,https://pci.example\n" \
           "2024,SIPAS,Thủ tục hành chính,tỉnh,Quảng Ninh,92.86,,,,https://s.example\n"
    summary = published_results_import(path=write(tmp_path, "whatever.csv", body, header=header))
    assert summary["imported"] == 2, summary
    pci = PublishedResult.objects.get(index_kind="pci")
    assert str(pci.score) == "73.02" and pci.regional_rank == 1
    assert PublishedResult.objects.get(index_kind="sipas").component == "procedure"


def test_an_unknown_header_is_refused_naming_the_expected_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        published_results_import(path=path)
    assert "don_vi" in exc.value.message


def test_a_missing_file_is_a_domain_error(tmp_path):
    with pytest.raises(DomainError):
        published_results_import(path=tmp_path / "nope.csv")


def test_old_province_names_map_to_the_old_units_when_the_registry_is_loaded(tmp_path):
    from cchc.units import reference

    reference.load()
    summary = published_results_import(path=write(tmp_path, "sipas.csv", (
        "2023,tỉnh,Long An,78.66,57,63,chính xác,,,,,Báo Long An,https://a.example/la,\n"
        "2023,tỉnh,Xứ Sở Thần Tiên,70,60,63,chính xác,,,,,X,https://x.example,\n"
    )))
    la = PublishedResult.objects.get(entity_name="Long An")
    assert la.unit is not None and "Long An" in la.unit.name
    assert "Không khớp" in flagged_rows(summary)[3]
