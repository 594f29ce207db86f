import pytest

from cchc.core.textfold import fold, fold_words, nfc


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ   KẾT HÔN", "dang ky ket hon"),
        ("Cấp đổi giấy phép lái xe", "cap doi giay phep lai xe"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("", ""),
    ],
)
def test_fold_removes_case_marks_and_d_bar(raw, folded):
    assert fold(raw) == folded


def test_fold_gives_the_same_result_for_nfc_and_nfd_input():
    decomposed = "Ho\u0300a Bi\u0300nh"
    assert fold(decomposed) == fold("Hòa Bình") == "hoa binh"
    assert nfc(decomposed) == "Hòa Bình"


def test_fold_words_keeps_procedure_codes_whole():
    assert fold_words("Thủ tục 1.001193: đăng ký!") == ["thu", "tuc", "1.001193", "dang", "ky"]
