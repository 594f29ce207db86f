"""Import of published national-index results: detection, flags, rejections, idempotency."""

from decimal import Decimal
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
    assert "+1,69" in flags[2] and "88,90" in flags[2] and "88,09" in flags[2]
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
    assert "91,87" in flags[2] and "91,81" in flags[2]
    assert PublishedResult.objects.filter(year=2023, flagged=True).count() == 2


def test_shipped_files_flag_the_documented_inconsistencies():
    par = published_results_import(path=DATA / "par_index_published.csv")
    sip = published_results_import(path=DATA / "sipas_published.csv")
    agg = published_results_import(path=DATA / "par_sipas_aggregates.csv")
    assert par["rejected"] == [] and sip["rejected"] == [] and agg["rejected"] == []
    assert par["imported"] == 138 and sip["imported"] == 83 and agg["imported"] == 29
    # PAR 2023 Hải Phòng: two sources (file lines 7 and 8)
    assert {7, 8} <= set(flagged_rows(par))
    # PAR 2023 last place: An Giang vs Bình Thuận / Sóc Trăng
    assert "An Giang" in flagged_rows(par)[12]
    # SIPAS Hải Phòng 2024 +1.69 vs 2023 88.09
    assert "88,09" in flagged_rows(sip)[2]
    # Aggregates: 53 up + 9 down ≠ 63, and 88.51 − 87.72 ≠ +1.58
    agg_flags = flagged_rows(agg)
    assert "62" in agg_flags[2] and "63" in agg_flags[2]
    assert "+0,79" in agg_flags[5]
    # Checks that pass stay clean: SIPAS national averages, Long An
    assert PublishedAggregate.objects.filter(index_kind="sipas", measure="trung bình", flagged=True).count() == 0
    assert not PublishedResult.objects.filter(entity_name="Long An", index_kind="sipas", flagged=True).exists()


def test_import_is_idempotent(tmp_path):
    first = published_results_import(path=DATA / "sipas_published.csv")
    second = published_results_import(path=DATA / "sipas_published.csv")
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


# ---------------------------------------------------------------------------------------------
# whole-table checks: a complete table has ranks 1..N without gaps, scores follow ranks, its mean
# matches the published average; ranks derived by the collector never hide a contradiction
# ---------------------------------------------------------------------------------------------

def table(rows, year=2030, n=5, url="https://t.example/bang"):
    """Results lines for a table of n provinces: rows = [(name, score, rank)]."""
    return "".join(f"{year},tỉnh,{name},{score},{rank},{n},chính xác,,,,,Bộ Nội vụ,{url},\n" for name, score, rank in rows)


FIVE = [("Tỉnh A", "90.00", 1), ("Tỉnh B", "89.00", 2), ("Tỉnh C", "88.00", 3), ("Tỉnh D", "87.00", 4), ("Tỉnh E", "86.00", 5)]


def test_a_complete_table_with_ranks_1_to_n_in_score_order_is_clean(tmp_path):
    summary = published_results_import(path=write(tmp_path, "par.csv", table(FIVE)))
    assert summary["imported"] == 5 and summary["flagged"] == []


def test_a_complete_table_with_a_gap_in_the_ranks_is_flagged_on_every_row(tmp_path):
    rows = FIVE[:2] + [("Tỉnh C", "88.00", 4), ("Tỉnh D", "87.00", 5), ("Tỉnh E", "86.00", 5)]
    flags = flagged_rows(published_results_import(path=write(tmp_path, "par.csv", table(rows))))
    assert set(flags) == {2, 3, 4, 5, 6}
    assert "không liên tục" in flags[2] and "thiếu hạng 3" in flags[2]
    # the two units sharing rank 5 with different scores are named
    assert "cùng hạng 5" in flags[5] and "cùng hạng 5" in flags[6]


def test_a_tie_that_skips_the_next_rank_is_competition_ranking_not_a_gap(tmp_path):
    rows = [("Tỉnh A", "90.00", 1), ("Tỉnh B", "89.00", 2), ("Tỉnh C", "89.00", 2), ("Tỉnh D", "87.00", 4), ("Tỉnh E", "86.00", 5)]
    assert published_results_import(path=write(tmp_path, "par.csv", table(rows)))["flagged"] == []


def test_one_unit_short_of_n_is_not_a_complete_table_so_missing_ranks_are_not_gaps(tmp_path):
    rows = [r for r in FIVE if r[2] != 3]  # 4 of 5 units
    assert published_results_import(path=write(tmp_path, "par.csv", table(rows)))["flagged"] == []


def test_a_better_rank_with_a_lower_score_is_flagged_even_in_a_partial_table(tmp_path):
    rows = [("Tỉnh A", "85.00", 3), ("Tỉnh B", "85.01", 10)]
    flags = flagged_rows(published_results_import(path=write(tmp_path, "par.csv", table(rows, n=63))))
    assert set(flags) == {2, 3}
    assert "ngược" in flags[2] and "Tỉnh A hạng 3 (85,00)" in flags[2] and "Tỉnh B hạng 10 (85,01)" in flags[2]


def test_equal_scores_at_different_ranks_are_not_flagged(tmp_path):
    # published ranks break ties on unrounded values; a 0.00 difference is not a contradiction
    rows = [("Tỉnh A", "85.42", 3), ("Tỉnh B", "85.42", 4)]
    assert published_results_import(path=write(tmp_path, "par.csv", table(rows, n=63)))["flagged"] == []


AGG_HEADER = "nam,chi_so,pham_vi,chi_tieu,gia_tri_pct,so_voi_nam_truoc_pct_theo_nguon,gia_tri_nam_truoc_pct_theo_nguon,source_url,ghi_chu\n"


@pytest.mark.parametrize("published, flagged", [("88.00", False), ("88.01", False), ("87.99", False), ("88.02", True)])
def test_the_mean_of_a_complete_table_must_match_the_published_average(tmp_path, published, flagged):
    published_results_import(path=write(tmp_path, "agg.csv", f"2030,PAR INDEX,5 tỉnh,trung bình,{published},,,https://t.example/tb,\n",
                                        header=AGG_HEADER))
    flags = flagged_rows(published_results_import(path=write(tmp_path, "par.csv", table(FIVE))))  # mean 88.00
    assert bool(flags) is flagged
    if flagged:
        assert set(flags) == {2, 3, 4, 5, 6} and "88,00" in flags[2] and "88,02" in flags[2]


def test_a_ministries_average_is_not_compared_with_a_provinces_table(tmp_path):
    published_results_import(path=write(tmp_path, "agg.csv", "2030,PAR INDEX,17 bộ,trung bình,70.00,,,https://t.example/tb,\n",
                                        header=AGG_HEADER))
    assert published_results_import(path=write(tmp_path, "par.csv", table(FIVE)))["flagged"] == []


def test_an_inferred_rank_does_not_hide_a_wrong_rank_change_and_conflicts_with_a_stated_rank(tmp_path):
    body = (
        "2024,tỉnh,Tỉnh A,,10,63,chính xác,,,,+5,Báo A,https://a.example/2024,\n"
        "2023,tỉnh,Tỉnh A,,15,63,suy ra: hạng năm sau − biến động thứ hạng nguồn nêu,,,,,Báo A,https://a.example/2024,\n"
        "2023,tỉnh,Tỉnh A,,12,63,chính xác,,,,,Báo B,https://b.example/2023,\n"
    )
    flags = flagged_rows(published_results_import(path=write(tmp_path, "par.csv", body)))
    assert "+5" in flags[2] and "12" in flags[2]          # the stated change is checked against the STATED rank
    assert "hạng suy ra 15" in flags[3] and "12" in flags[3]
    assert "hạng suy ra" in flags[4]


def test_an_inferred_rank_that_agrees_is_clean(tmp_path):
    body = (
        "2019,tỉnh,Tây Ninh,80.05,44,63,chính xác,B,,,+4,Báo Tây Ninh,https://tn.example/,\n"
        "2018,tỉnh,Tây Ninh,,48,63,suy ra: hạng năm sau − biến động thứ hạng nguồn nêu,,,,,Báo Tây Ninh,https://tn.example/,\n"
    )
    assert published_results_import(path=write(tmp_path, "par.csv", body))["flagged"] == []


def test_the_shipped_files_hold_no_complete_table_and_no_order_contradiction():
    """What the shipped data is: no year has all 63 provinces; the new checks add no flag to it."""
    for name in ("par_sipas_aggregates.csv", "par_index_published.csv", "sipas_published.csv"):
        published_results_import(path=DATA / name)
    messages = [m for r in PublishedResult.objects.filter(flagged=True) for m in r.flags]
    assert not any("không liên tục" in m or "ngược" in m or "cùng hạng" in m or "MÂU THUẪN: hạng suy ra" in m for m in messages)
    per_year = {}
    for r in PublishedResult.objects.filter(entity_kind="province"):
        per_year.setdefault((r.index_kind, r.year), set()).add(r.entity_key)
    assert max(len(v) for v in per_year.values()) < 63
    # the 2023 PAR average added (86.98) agrees with the 2024 article's +1.39 from 88.37
    assert not PublishedAggregate.objects.filter(year=2023, measure="trung bình", scope="63 tỉnh", flagged=True).exists()
    # PAR 2022 groups A 2 + B 56 + C 5 = 63 (kinhtetieudung): a count check that passes
    assert PublishedAggregate.objects.get(year=2022, index_kind="par_index", scope="63 tỉnh").flagged is False


def test_the_contradictions_found_by_the_second_search_are_flagged_not_resolved():
    for name in ("par_sipas_aggregates.csv", "par_index_published.csv", "sipas_published.csv"):
        published_results_import(path=DATA / name)
    # SIPAS 2024 Hải Phòng: 91.10 (Kinh tế & Môi trường) vs 90.59 (Petrotimes) — both kept, both flagged
    hp = PublishedResult.objects.filter(index_kind="sipas", year=2024, entity_name="Hải Phòng", score__isnull=False)
    assert sorted(str(r.score) for r in hp) == ["90.59", "91.10"] and all(r.flagged for r in hp)
    # PAR 2019 Quảng Ninh 90.09 "+1.03" ⇒ 2018 89.06, but 2018 was published as 89.6
    qn2018 = PublishedResult.objects.get(index_kind="par_index", year=2018, entity_name="Quảng Ninh", score__isnull=False)
    assert qn2018.flagged and "89,06" in " ".join(qn2018.flags)
    # PAR 2024: Cần Thơ and Bình Dương share 89.13 at ranks 22 and 23 — equal scores, not a contradiction
    tie = PublishedResult.objects.filter(index_kind="par_index", year=2024, score=Decimal("89.13"))
    assert {r.rank for r in tie} == {22, 23} and not any(r.flagged for r in tie)
    # the year of the PAR 2018 average is unconfirmed in its source
    assert PublishedAggregate.objects.get(index_kind="par_index", year=2018, scope="63 tỉnh").flagged


def test_one_rank_given_to_two_units_without_scores_is_flagged_on_both(tmp_path):
    body = (
        "2023,tỉnh,Tỉnh A,,7,63,chính xác,,,,,Báo A,https://a.example/x,\n"
        "2024,tỉnh,Tỉnh B,,26,63,chính xác,,,,-19,Báo B,https://b.example/y,\n"
        "2023,tỉnh,Tỉnh B,,7,63,suy ra: hạng năm sau − biến động thứ hạng nguồn nêu,,,,,Báo B,https://b.example/y,\n"
    )
    flags = flagged_rows(published_results_import(path=write(tmp_path, "par.csv", body)))
    assert "Hạng 7 năm 2023" in flags[2] and "Tỉnh B (hạng suy ra" in flags[2]
    assert "Hạng 7 năm 2023" in flags[4] and 3 not in flags


def test_a_shared_rank_with_equal_scores_is_a_tie_and_stays_clean(tmp_path):
    rows = [("Tỉnh A", "89.13", 22), ("Tỉnh B", "89.13", 22)]
    assert published_results_import(path=write(tmp_path, "par.csv", table(rows, n=63)))["flagged"] == []


def test_the_shipped_rank_collisions_are_the_known_ones():
    for name in ("par_sipas_aggregates.csv", "par_index_published.csv", "sipas_published.csv"):
        published_results_import(path=DATA / name)
    collided = {(r.year, r.entity_name) for r in PublishedResult.objects.filter(index_kind="par_index")
                for m in r.flags if "được nêu cho nhiều đơn vị" in m}
    # Long An 7th in 2023 (Kinh tế & Đô thị) vs Lào Cai 2023 derived from "26th in 2024, down 19";
    # Bến Tre "followed by" Quảng Ninh in 2019 (Bình Dương portal, EN) vs Hà Nội 2nd (news.gov.vn)
    assert collided == {(2023, "Long An"), (2023, "Lào Cai"), (2019, "Bến Tre"), (2019, "Hà Nội")}
