"""Gõ không bộ gõ: Telex/VNI typed without an input method decoded into Vietnamese syllables (pure, no database)."""

import pytest

from cchc.catalog.intents import parse_intents
from cchc.catalog.telex import decode, decode_telex, decode_text, decode_vni


@pytest.mark.parametrize(("typed", "word"), [
    ("kys", "ký"), ("ddawng", "đăng"), ("ddaang", "đâng"), ("sor", "sỏ"), ("ddor", "đỏ"), ("hoongf", "hồng"),
    ("keets", "kết"), ("hoon", "hôn"), ("tuwr", "tử"), ("chieeus", "chiếu"), ("giaasy", "giấy"), ("giaays", "giấy"),
    ("nguwowif", "người"), ("truwowngf", "trường"), ("thuwowngf", "thường"), ("cuwowcs", "cước"), ("quyeenf", "quyền"),
    ("huyeenj", "huyện"), ("xax", "xã"), ("tw", "tư"), ("w", "ư"), ("laapj", "lập"), ("phesp", "phép"), ("lafm", "làm"),
    ("hoaf", "hoà"), ("thuys", "thuý"), ("ddaats", "đất"), ("tieengs", "tiếng"),
])
def test_telex_words(typed, word):
    assert decode_telex(typed) == word
    assert decode(typed)[0] == word


@pytest.mark.parametrize(("typed", "word"), [
    ("d9a8ng", "đăng"), ("ky1", "ký"), ("ke61t", "kết"), ("ho6n", "hôn"), ("so63", "sổ"), ("d9o3", "đỏ"),
    ("ho65", "hộ"), ("chie61u", "chiếu"), ("ngu7o7i2", "người"), ("tru1", "trú"),
])
def test_vni_words(typed, word):
    assert decode_vni(typed) == word
    assert decode(typed) == [word]


@pytest.mark.parametrize("typed", [
    "dang", "khai", "sinh", "con", "kinh", "doanh",  # plain words: nothing to decode
    "gplx", "cccd", "bhxh", "vneid", "mst", "tnhh", "passport",  # abbreviations and loan words stay as typed
    "1.001193", "2024", "14", "a1b2",  # codes and numbers
    "tiesng",  # "tieng" is not a syllable without the circumflex
    "ddacs",  # "đác"? no: a stopped syllable... "đắc" needs aw; "dđac" has nucleus "a": decoded
])
def test_words_that_are_not_telex_or_vni_are_left_alone(typed):
    if typed == "ddacs":
        assert decode(typed) == ["đác"]
        return
    assert decode(typed) == []


def test_a_stopped_syllable_takes_only_sac_or_nang():
    assert decode_telex("taapj") == "tập" and decode_telex("taaps") == "tấp"
    assert decode_telex("taapf") is None and decode_telex("taapr") is None  # *tầp, *tẩp are not Vietnamese


def test_decode_text_keeps_unknown_words():
    assert decode_text("ddaang kys khai sinh") == "đâng ký khai sinh"
    assert decode_text("sor ddor") == "sỏ đỏ"
    assert decode_text("d9a8ng ky1 ke61t ho6n") == "đăng ký kết hôn"
    assert decode_text("CCCD bij maats") == "CCCD bị mất"


def test_intent_rows_need_a_phrase_and_codes_or_an_expansion():
    rows = [
        {"phrases": "Sinh con; có con", "codes": "1.001193; 2.000986", "expand": "đăng ký khai sinh", "reason": "r"},
        {"phrases": "", "codes": "1.0", "expand": "", "reason": "no phrase"},
        {"phrases": "x", "codes": "", "expand": "", "reason": "nothing to offer"},
    ]
    intents = parse_intents(rows)
    assert len(intents) == 1
    assert intents[0].phrases == (("sinh", "con"), ("co", "con"))
    assert intents[0].codes == ("1.001193", "2.000986")
    assert intents[0].expansions == (("dang", "ky", "khai", "sinh"),)
