"""Thành phần hồ sơ parser (pure), table-driven on texts cut from the national catalogue crawl
(github.com/chatbot-tthc/chatbot_tthc @ 5322948, scripts/crawler/data/raw/<bo>/<ma>.json)."""

from __future__ import annotations

import pytest

from cchc.catalog.checklistparse import MAX_COPIES, parse

H = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"


def rows(text):
    return [(i.name, i.kind, i.original_copies, i.photocopies, i.mandatory, i.form_name) for i in parse(text).items]


CASES = [
    # 1.001193 (bo-tu-phap): sections phải nộp / phải xuất trình / Lưu ý; "0 bản chính" rows are guidance
    ("sections",
     f"* Giấy tờ phải nộp:{H}- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng."
     f"1 bản chínhTrường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh thì không phải nộp bản giấy.0 bản chính"
     f"* Giấy tờ phải xuất trình:{H}- Hộ chiếu/Thẻ căn cước công dân còn giá trị sử dụng.1 bản chính"
     f"* Lưu ý:{H}- Cá nhân có quyền lựa chọn nơi đăng ký.0 bản chính- Người tiếp nhận kiểm tra giấy tờ.1 bản chính",
     [("Giấy chứng sinh", "submit", 1, 0, True, ""),
      ("Hộ chiếu/Thẻ căn cước công dân còn giá trị sử dụng", "present", 1, 0, True, "")]),
    # 1.001612 (bo-tai-chinh): "0 bản chính,1 bản sao" is one photocopy; "--" starts an untitled table
    ("photocopy", f"--{H}- Giấy đề nghị đăng ký hộ kinh doanh;1 bản chính- Bản sao văn bản ủy quyền của thành viên hộ "
                  "gia đình (nếu có).0 bản chính,1 bản sao",
     [("Giấy đề nghị đăng ký hộ kinh doanh", "submit", 1, 0, True, ""),
      ("Bản sao văn bản ủy quyền của thành viên hộ gia đình (nếu có)", "submit", 0, 1, False, "")]),
    # "Trường hợp …" rows and "trong trường hợp" documents are conditional, not mandatory
    ("conditional", f"{H}- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi.1 bản chính"
                    "- Văn bản ủy quyền trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh.1 bản chính",
     [("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản về việc trẻ bị bỏ rơi", "submit", 1, 0, False, ""),
      ("Văn bản ủy quyền trong trường hợp ủy quyền thực hiện việc đăng ký khai sinh", "submit", 1, 0, False, "")]),
    # a line only for online filing is conditional; the paper form is not
    ("online only", f"{H}- Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức "
                    "trực tiếp);1 bản chính- Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (nếu người có yêu cầu lựa "
                    "chọn nộp hồ sơ theo hình thức trực tuyến)1 bản chính",
     [("Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tiếp)",
       "submit", 1, 0, True, "Tờ khai đăng ký khai sinh"),
      ("Mẫu hộ tịch điện tử tương tác đăng ký khai sinh (nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức "
       "trực tuyến)", "submit", 1, 0, False, "")]),
    # 1.004194 (bo-cong-an): a form file name glued after the row; the named form wins over the garbled file name
    ("glued form file", f"Hồ sơ đăng ký tạm trú gồm{H}Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo "
                        "Thông tư số 53/2025/TT-BCA).1.MuCT01banhnhkmtheoThngts53.doc1 bản chính",
     [("Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA)", "submit", 1, 0,
       True, "Mẫu CT01")]),
    # 1.010732 (bo-nong-nghiep-mt): "Mau 04.docx (1).doc" glued before the quantity
    ("form file with copy number", f"{H}- Văn bản đề nghị cấp phép (thuộc phạm vi quản lý của Bộ).Mau 04.docx (1).doc1 bản chính",
     [("Văn bản đề nghị cấp phép (thuộc phạm vi quản lý của Bộ)", "submit", 1, 0, True, "Mau 04")]),
    # a date's year has four digits: "…ngày 01/01/20261 bản chính" is 2026 + 1 bản chính
    ("glued date", f"{H}- Báo cáo theo Thông tư số 02/2026/TT-BNNMT ngày 01/01/20261 bản chính",
     [("Báo cáo theo Thông tư số 02/2026/TT-BNNMT ngày 01/01/2026", "submit", 1, 0, True, "")]),
    # a case table (a title other than phải nộp / xuất trình): every row conditional, with the case in its note
    ("case table", f"Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ{H}Hợp đồng, văn bản về việc cho thuê, "
                   "cho mượn, cho ở nhờ được công chứng hoặc chứng thực.1 bản chính",
     [("Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực", "submit", 1, 0,
       False, "")]),
    # rows numbered (1), (2)… come shuffled out of the crawl: their order is restored
    ("numbered order", f"{H}(2) Bản gốc Giấy chứng nhận đã cấp.1 bản chính(1) Đơn đăng ký biến động đất đai theo "
                       "Mẫu số 18 ban hành kèm theo Nghị định số 151/2025/NĐ-CP.1 bản chính",
     [("Đơn đăng ký biến động đất đai theo Mẫu số 18 ban hành kèm theo Nghị định số 151/2025/NĐ-CP", "submit", 1, 0,
       True, "Mẫu số 18"),
      ("Bản gốc Giấy chứng nhận đã cấp", "submit", 1, 0, True, "")]),
    # "Lưu ý:" rows and the introduction of a list ("… các giấy tờ sau:") are not documents
    ("notes and intros", f"{H}- Người có yêu cầu nộp các giấy tờ sau:1 bản chính- Lưu ý:- Trường hợp nộp trực tiếp thì "
                         "xuất trình bản chính.1 bản chính- Dự thảo giao dịch1 bản chính",
     [("Dự thảo giao dịch", "submit", 1, 0, True, "")]),
    # a row repeated in two tables is kept once
    ("duplicate", f"{H}- Dự thảo di chúc1 bản chính--{H}- Dự thảo di chúc1 bản chính",
     [("Dự thảo di chúc", "submit", 1, 0, True, "")]),
    # boundary: MAX_COPIES is accepted
    ("ten copies", f"{H}- Bản vẽ thiết kế.{MAX_COPIES} bản chính", [("Bản vẽ thiết kế", "submit", MAX_COPIES, 0, True, "")]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_parses_real_shapes(text, expected):
    result = parse(text)
    assert result.problems == []
    assert rows(text) == expected


def test_the_rest_of_a_row_becomes_its_note_and_a_case_title_is_kept():
    items = parse(f"{H}- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng."
                  "1 bản chính").items
    assert items[0].note == "trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng."
    case = parse(f"Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ{H}Hợp đồng thuê nhà.1 bản chính").items
    assert case[0].note == "Áp dụng: Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ."


PROBLEMS = [
    ("empty", "", "không có thành phần hồ sơ"),
    ("no information", "Không có thông tin", "không có thành phần hồ sơ"),
    ("no quantity", f"{H}- Đơn đề nghị; Giấy chứng nhận", "không tìm thấy số lượng"),
    # 1.012787: "theo Mẫu số 181 bản chính,1 bản sao…" — Mẫu số 18 + 1 or Mẫu số 1 + 81: not guessed
    ("quantity glued to a form number",
     f"{H}- Giấy chứng nhận đã cấp.1 bản chính- Đơn đăng ký biến động theo Mẫu số 181 bản chính,1 bản saoBiên bản bàn "
     "giao nhà.1 bản chính", "số lượng dính vào số đứng trước"),
    ("more than MAX_COPIES", f"{H}- Bản vẽ thiết kế.{MAX_COPIES + 1} bản chính", "số lượng bất thường"),
    ("text after the last quantity", f"{H}- Dự thảo giao dịch1 bản chính- Đơn đăng ký biến động đất đai theo",
     "còn chữ sau số lượng cuối"),
    ("name too long", f"{H}- Một trong những giấy tờ hợp pháp về đất đai " + "gồm nhiều loại, " * 40 + "hết.1 bản chính",
     "tên quá dài"),
    ("row without a name", f"{H}- 1 bản chính", "không tìm thấy số lượng"),
]


@pytest.mark.parametrize(("text", "problem"), [c[1:] for c in PROBLEMS], ids=[c[0] for c in PROBLEMS])
def test_flags_what_it_cannot_read(text, problem):
    result = parse(text)
    assert not result.clean
    assert any(p.startswith(problem) for p in result.problems), result.problems


def test_name_length_boundary():
    assert parse(f"{H}- {'a' * 500}.1 bản chính").clean
    assert parse(f"{H}- {'a' * 501}.1 bản chính").problems[0].startswith("tên quá dài (501 ký tự)")


LONG_ALTERNATIVE = "Hợp đồng chuyển nhượng quyền sử dụng đất, tài sản gắn liền với đất giữa người sử dụng đất và người nhận " * 5


def test_a_too_long_list_of_alternatives_is_named_by_its_introduction_and_first_option_with_the_list_in_the_note():
    text = (f"{H}- Một trong các văn bản sau: + {LONG_ALTERNATIVE.strip()}. + Quyết định của cơ quan có thẩm quyền về giải "
            f"quyết tranh chấp. + Bản án của Tòa án đã được thi hành.1 bản chính,1 bản sao")
    result = parse(text)
    assert result.problems == []
    [item] = result.items
    assert item.name.startswith("Một trong các văn bản sau (3 loại, xem ghi chú): Hợp đồng chuyển nhượng")
    assert len(item.name) <= 500
    assert "(2) Quyết định của cơ quan có thẩm quyền về giải quyết tranh chấp" in item.note
    assert "(3) Bản án của Tòa án đã được thi hành" in item.note
    assert (item.original_copies, item.photocopies) == (1, 1)


def test_a_row_of_alternatives_within_the_name_limit_is_kept_verbatim_and_a_long_row_without_options_stays_a_problem():
    short = f"{H}- Một trong các giấy tờ sau: + Giấy chứng nhận + Quyết định giao đất.1 bản chính"
    assert parse(short).items[0].name == "Một trong các giấy tờ sau: + Giấy chứng nhận + Quyết định giao đất"
    one_option = f"{H}- Một trong các văn bản sau: + {LONG_ALTERNATIVE * 2}.1 bản chính"
    assert any(p.startswith("tên quá dài") for p in parse(one_option).problems)


def _build_script():
    import importlib.util

    from cchc.catalog.reference import DATA_DIR

    spec = importlib.util.spec_from_file_location("build_checklists", DATA_DIR / "build_checklists.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_recovered_from_the_page_text_when_the_crawler_cut_the_field_at_a_mention_in_the_steps():
    """1.001601, 2.000717, 2.000755: the steps say "theo quy định tại mục Thành phần hồ sơ", and the crawl's field
    holds the steps after that mention instead of the table; the page's raw_text still has the table."""
    build = _build_script()
    record = {
        "thanh_phan_ho_so": "Bước 2. Cơ quan BHXH tiếp nhận hồ sơ và giải quyết theo quy định.",
        "raw_text": ("Trình tự: Bước 1. Lập hồ sơ theo quy định tại mục Thành phần hồ sơ\nBước 2. Cơ quan BHXH tiếp nhận hồ "
                     "sơ.Thành phần hồ sơ--Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy đề nghị (mẫu số 3-CBH)1 bản chínhCăn cứ "
                     "pháp lýLuật Bảo hiểm xã hội"),
    }
    text = build.checklist_text(record)
    assert text == "--Tên giấy tờMẫu đơn, tờ khaiSố lượngGiấy đề nghị (mẫu số 3-CBH)1 bản chính"
    assert [i.name for i in parse(text).items] == ["Giấy đề nghị (mẫu số 3-CBH)"]
    # a field that holds a table is used as it is; a page without a table gives the field back (flagged later)
    good = {"thanh_phan_ho_so": "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai1 bản chính", "raw_text": "x"}
    assert build.checklist_text(good) == good["thanh_phan_ho_so"]
    assert build.checklist_text({"thanh_phan_ho_so": "Bước 2.", "raw_text": "Thành phần hồ sơ không có bảng"}) == "Bước 2."


def test_every_hand_checked_override_is_valid_for_the_checklist_rules_and_gives_its_reason():
    build = _build_script()
    for code, (reason, items) in build.OVERRIDES.items():
        assert reason and items, code
        names = [i.name.casefold() for i in items]
        assert len(names) == len(set(names)), code
        for item in items:
            assert 1 <= len(item.name) <= 500 and len(item.form_name) <= 255, (code, item.name[:40])
            assert item.kind in ("submit", "present") and 0 <= item.original_copies <= 20 and 0 <= item.photocopies <= 20
        assert any(i.mandatory for i in items), code


def test_a_case_sentence_glued_to_the_name_becomes_the_note_but_a_dotted_form_number_stays_whole():
    """1.014061: "… để công dân kiểm tra và ký xác nhận.Trường hợp công dân chưa có thông tin … thì hồ sơ còn có …"."""
    [item] = parse(f"{H}- Phiếu CC01 để công dân kiểm tra và ký xác nhận.Trường hợp công dân chưa có thông tin thì "
                   "nộp thêm Phiếu thu thập thông tin dân cư.1 bản chính").items
    assert item.name == "Phiếu CC01 để công dân kiểm tra và ký xác nhận"
    assert item.note.startswith("Trường hợp công dân chưa có thông tin")
    [form] = parse(f"{H}- Tờ khai đăng ký theo Mẫu số 02a.ĐKT Phụ lục VIII.1 bản chính").items
    assert form.name == "Tờ khai đăng ký theo Mẫu số 02a.ĐKT Phụ lục VIII"
