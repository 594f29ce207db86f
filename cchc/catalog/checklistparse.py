"""Thành phần hồ sơ: split the national catalogue's `thanh_phan_ho_so` text into checklist lines (pure).

The crawl of dichvucong.gov.vn flattens the page's tables into one string. Each table is introduced by a
title and the column header "Tên giấy tờ | Mẫu đơn, tờ khai | Số lượng"; each row is the document's text,
sometimes a form file name, then the quantity "N bản chính" or "N bản chính,M bản sao", glued together:

    * Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy chứng sinh;1 bản chính- Văn bản ủy
    quyền ...0 bản chính,1 bản sao* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Hộ chiếu...

Rules (docs/catalog.md "Thành phần hồ sơ: parser"):
- table title "Giấy tờ phải nộp" → kind submit; "Giấy tờ phải xuất trình" → kind present; "Lưu ý" → notes
  (skipped); "--" or no title → submit; any other title names a case ("Trường hợp …", "Đăng ký thường trú
  vào chỗ ở …"): its rows are conditional and carry the title as their condition;
- a row with 0 bản chính and no bản sao is guidance, not a document (skipped);
- a row starting "Lưu ý" or ending with ":" (the introduction of a list) is a note (skipped);
- the row's first sentence is the document's name; the rest (cases, substitutes) is its note — also when the
  next sentence is glued to it and opens a case ("… xác nhận.Trường hợp …"); numbered
  rows "(1)", "(2)" are put back in their order;
- a row starting "Trường hợp", "Đối với trường hợp", "Nếu", containing "(nếu có)", "trong trường hợp",
  "đối với trường hợp", or only for online filing ("nếu … trực tuyến") is conditional (mandatory False);
- the form (mẫu đơn, tờ khai): a file name glued before the quantity ("Mau 04.docx"), or "Mẫu số X" /
  "mẫu X" named in the row;
- a quantity glued to a date ("ngày 01/01/20261 bản chính") is split after the year's four digits; glued
  to any other number ("Mẫu số 181 bản chính") it is a problem (18 + 1 or 1 + 81 cannot be told);
- a row too long to be a name that lists alternatives ("Một trong các văn bản sau: + A + B …") is named by its
  introduction and first alternative ("Một trong các văn bản sau (4 loại, xem ghi chú): A"); the whole list
  goes to the note;
- anything it cannot read is reported in `problems` (no quantity found, text after the last quantity,
  a quantity above MAX_COPIES — often a form number glued to the quantity, "Mẫu số 011 bản chính" —, a row
  too long or empty); a caller ships only texts without problems.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_COPIES = 10
MAX_NAME = 500
MAX_NOTE = 2000

HEADER = re.compile(r"Tên giấy tờ\s*Mẫu đơn,\s*tờ khai\s*Số lượng")
# the quantity column: glued to the row's text (no space before), not followed by a space or punctuation
QUANTITY = re.compile(r"(?<![\s\d])(\d{1,3}) bản chính(?:\s*,\s*(\d{1,3}) bản sao)?(?=$|[^\s.,;:)])")
FILE_EXT = re.compile(r"(?:\.(?:docx?|pdf|xlsx?)(?:\s*\(\d+\))?)+\s*$", re.IGNORECASE)
GLUED = re.compile(r"(?<=[.;)])(?=[^\s.;)])")
# "Mẫu số 01", "mẫu CT01", "Mẫu 15d", "Mẫu số 1 Phụ lục II": an identifier with a digit or in capitals
FORM_NAMED = re.compile(r"\b((?i:mẫu)(?:\s+(?i:số))?\s+(?:[0-9][0-9A-Za-zĐđ./_\-]*|[A-ZĐ][A-ZĐ0-9./_\-]*[0-9][0-9A-Za-z./_\-]*))")
BULLET = re.compile(r"^\s*(?:[-+•*]+|\(?[ivxIVX]{1,4}\)|\(?[a-zđ]\)|\(\d{1,2}\)|\d{1,2}[.)])\s*")
DATE_GLUED = re.compile(r"(\b\d{1,2}/\d{1,2}/\d{4})(\d{1,2} bản chính)")
NUMBERED = re.compile(r"^\s*[-+]?\s*\((\d{1,2})\)")
# a quantity glued to a preceding number ("theo Mẫu số 181 bản chính,1 bản saoVăn bản…"): 18 + 1 or 1 + 81?
GLUED_NUMBER = re.compile(r"\d{2,} bản chính(?:\s*,\s*\d+ bản sao)?(?=$|[^\s.,;:)])")
CONDITIONAL_START = re.compile(r"^(?:trường hợp|đối với trường hợp|nếu|riêng trường hợp)\b", re.IGNORECASE)
CONDITIONAL_ANY = re.compile(r"\(\s*nếu có\s*\)|\bnếu có\b", re.IGNORECASE)


@dataclass
class Item:
    """Một thành phần hồ sơ read from the text."""

    name: str
    kind: str = "submit"  # submit (phải nộp) | present (phải xuất trình)
    original_copies: int = 1
    photocopies: int = 0
    mandatory: bool = True
    form_name: str = ""
    note: str = ""  # the rest of the row (cases, substitutes) and the case its table applies to


@dataclass
class Parsed:
    items: list[Item] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: int = 0  # rows skipped as guidance (0 bản chính) or under "Lưu ý"

    @property
    def clean(self) -> bool:
        return not self.problems and bool(self.items)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").replace("\u200e", "").replace("\u200b", "").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _table_kind(title: str) -> tuple[str, str]:
    """('submit'|'present'|'notes'|'case', condition) for a table title."""
    t = title.strip(" *-:").strip()
    low = t.lower()
    if not t:
        return "submit", ""
    if "lưu ý" in low and len(low) < 20:
        return "notes", ""
    if "phải xuất trình" in low or low.startswith("giấy tờ xuất trình"):
        return "present", ""
    if "phải nộp" in low or low.startswith(("thành phần hồ sơ", "hồ sơ", "giấy tờ nộp")):
        return "submit", ""
    return "case", t.rstrip(":").strip()


def _clean_name(text: str) -> str:
    name = text.strip()
    for _ in range(2):
        name = BULLET.sub("", name).strip()
    return name.rstrip(" ;,:").strip()


def _form_of(name: str) -> tuple[str, str]:
    """(name without a glued form file, form name).

    A form file name glued after the row ("…Thông tư số 53/2025/TT-BCA).Mau CT01.doc") is cut at the last
    place where a sentence end touches the next character; the file name becomes the form name.
    """
    ext = FILE_EXT.search(name)
    if ext:
        before = name[: ext.start()]
        # not inside a numbered file name ("1.MuCT01…", "14.4_Approved"): a cut after "<digit>." is skipped
        cuts = [m.start() for m in GLUED.finditer(before)
                if not (m.start() >= 2 and before[m.start() - 1] == "." and before[m.start() - 2].isdigit())]
        cut = cuts[-1] if cuts else 0
        form = before[cut:].strip().replace("_", " ")
        rest = _clean_name(before[:cut])
        named = FORM_NAMED.search(rest)
        return (rest or form), (named.group(1).rstrip(".;,)") if named else form)
    named = FORM_NAMED.search(name)
    if named:
        return name, named.group(1).rstrip(".;,)")
    if re.match(r"^(tờ khai|đơn|giấy đề nghị|văn bản đề nghị|phiếu)\b", name, re.IGNORECASE) and re.search(
        r"\btheo mẫu\b", name, re.IGNORECASE
    ):
        return name, re.split(r"\s+theo mẫu\b", name, maxsplit=1, flags=re.IGNORECASE)[0].strip(" ;,")
    return name, ""


SENTENCE_END = re.compile(r"[.;]\s+")
GLUED_CASE = re.compile(r"(?<=[^\W\d_])\.(?=(?:Trường hợp|Đối với|Nếu|Riêng)\b)")


def _split_note(name: str) -> tuple[str, str]:
    """(the document, the rest): the row's first sentence names the document; what follows ("Trường hợp
    … thì không phải nộp …", "; trường hợp không có … thì nộp …") is kept as its note."""
    # a sentence glued to the next one that opens a case ("… ký xác nhận.Trường hợp công dân chưa có …", 1.014061)
    name = GLUED_CASE.sub(". ", name)
    for match in SENTENCE_END.finditer(name):
        after = name[match.end():]
        if not after:
            break
        first = after[0]
        starts_case = re.match(r"(trường hợp|nếu|đối với|riêng)\b", after, re.IGNORECASE)
        if (match.group(0)[0] == "." and (first.isupper() or starts_case)) or (match.group(0)[0] == ";" and starts_case):
            return name[: match.start()].strip(), after.strip()
    return name.rstrip(". ").strip(), ""


ALTERNATIVES = re.compile(r"^(Một trong (?:các|những)[^:+]{0,160}?)\s*(?:bao gồm|gồm)?\s*:\s*\+?\s*(.+)$", re.IGNORECASE | re.DOTALL)


def _alternatives(head: str, note: str) -> tuple[str, str] | None:
    """A too-long row listing alternatives → (name: introduction + count + first alternative, note: the list).

    Only "Một trong các/những … sau: + A + B …" with at least two "+" items; anything else stays a problem."""
    match = ALTERNATIVES.match(head)
    if not match:
        return None
    options = [o.strip(" .;") for o in re.split(r"\s\+\s+|^\+\s*", match.group(2)) if o.strip(" .;")]
    if len(options) < 2:
        return None
    intro = match.group(1).strip()
    name = f"{intro} ({len(options)} loại, xem ghi chú): {options[0]}"
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 1].rsplit(" ", 1)[0] + "…"
    listed = "; ".join(f"({i}) {o}" for i, o in enumerate(options, 1))
    return name, f"{intro}: {listed}." + (f" {note}" if note else "")


def _conditional(head: str) -> bool:
    low = head.lower()
    if CONDITIONAL_START.match(head) or CONDITIONAL_ANY.search(head):
        return True
    if "trong trường hợp" in low or "đối với trường hợp" in low:
        return True
    # a line only for online filing ("… nếu người có yêu cầu lựa chọn nộp hồ sơ theo hình thức trực tuyến")
    return bool(re.search(r"\bnếu\b[^()]*trực tuyến", low)) and "trực tiếp" not in low


def parse(text: str) -> Parsed:
    """Parse one `thanh_phan_ho_so` text. Never raises; problems are listed, rows are never guessed."""
    out = Parsed()
    text = _norm(text)
    if not text or text.lower() in ("không có thông tin", "(không có thông tin)"):
        out.problems.append("không có thành phần hồ sơ")
        return out
    # a date's year has four digits: "ngày 01/01/20261 bản chính" is the year 2026 and 1 bản chính
    text = DATE_GLUED.sub(r"\1.\2", text)
    tokens = list(QUANTITY.finditer(text))
    if not tokens:
        out.problems.append("không tìm thấy số lượng (N bản chính) nào")
        return out
    kind, condition = "submit", ""
    start = 0
    table = 0
    positions: list[tuple[int, int | None, int]] = []  # (table, "(n)" number, position) to restore "(1) (2) …" order
    seen: set[str] = set()
    for token in tokens:
        segment = text[start:token.start()]
        start = token.end()
        headers = list(HEADER.finditer(segment))
        if headers:
            title = segment[: headers[-1].start()]
            # a title may hold the end of a previous table with no rows; only the last title counts
            kind, condition = _table_kind(title)
            segment = segment[headers[-1].end():]
            table += 1
        originals = int(token.group(1))
        copies = int(token.group(2) or 0)
        if kind == "notes":
            out.notes += 1
            continue
        if originals == 0 and copies == 0:
            out.notes += 1
            continue
        stripped = segment.strip()
        if stripped.lower().lstrip("-+* ").startswith("lưu ý") or stripped.endswith(":"):
            out.notes += 1  # a note or the introduction of a list ("… các giấy tờ sau:"), not a document
            continue
        number = NUMBERED.match(segment)
        raw = _clean_name(segment)
        if not raw:
            out.problems.append(f"dòng không có tên trước “{token.group(0)}”")
            continue
        if originals > MAX_COPIES or copies > MAX_COPIES:
            out.problems.append(f"số lượng bất thường “{token.group(0)}” sau “{raw[-40:]}”")
            continue
        name, form_name = _form_of(raw)
        head, note = _split_note(name)
        if not head:
            out.problems.append(f"dòng không có tên: “{name[:60]}”")
            continue
        if len(head) > MAX_NAME and (alt := _alternatives(head, note)):
            head, note = alt
        if len(head) > MAX_NAME:
            out.problems.append(f"tên quá dài ({len(head)} ký tự): “{head[:60]}…”")
            continue
        if HEADER.search(name) or QUANTITY.search(name):
            out.problems.append(f"dòng lẫn tiêu đề bảng: “{name[:60]}…”")
            continue
        if GLUED_NUMBER.search(name):
            # "theo Mẫu số 181 bản chính": the quantity is glued to a number; 18 + 1 or 1 + 81 cannot be told
            out.problems.append(f"số lượng dính vào số đứng trước: “{GLUED_NUMBER.search(name).group(0)}” trong “{name[:60]}…”")
            continue
        if condition:
            note = f"Áp dụng: {condition}." + (f" {note}" if note else "")
        if len(note) > MAX_NOTE:
            out.problems.append(f"ghi chú quá dài ({len(note)} ký tự): “{head[:60]}…”")
            continue
        key = head.casefold()
        if key in seen:
            continue  # the portal repeats a row in two tables (e.g. nộp and online upload): keep the first
        seen.add(key)
        positions.append((table, int(number.group(1)) if number else None, len(out.items)))
        out.items.append(Item(
            name=head, kind="present" if kind == "present" else "submit", original_copies=originals,
            photocopies=copies, mandatory=not (kind == "case" or _conditional(head)), form_name=form_name[:255],
            note=note,
        ))
    # rows numbered "(1)", "(2)" … in the source come out of the crawl shuffled: restore their order
    order = sorted(positions, key=lambda p: (p[0], p[1] if p[1] is not None else 0, p[2]))
    if any(p[1] is not None for p in positions):
        out.items = [out.items[p[2]] for p in order]
    rest = text[start:].strip()
    if rest and not HEADER.search(rest):
        out.problems.append(f"còn chữ sau số lượng cuối: “{rest[:60]}”")
    elif rest:
        out.problems.append("bảng cuối không có dòng nào")
    return out
