"""Khối chữ ký (signature block) of a document issued by an agency: who signs and how the title reads.

Pure module (no Django). The signatory of an apology letter or an electronic result is the head of the
competent agency, or a deputy signing on the head's behalf ("KT."); the specialist who drafted it is the
drafter, never the signatory. Layout per Nghị định 30/2020/NĐ-CP on administrative documents (Điều 13 and
Phụ lục I as remembered; see docs/forms.md for what is confirmed):

    head, agency under the head regime          GIÁM ĐỐC
    deputy signs for the head ("ký thay")       KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC
    collective body (Ủy ban nhân dân)           TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH
                                                TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH
    authorised by the head ("thừa ủy quyền")   TUQ. GIÁM ĐỐC / CHÁNH VĂN PHÒNG  (mode "tuq"; needs a
                                                written authorisation, which the platform does not record)
"""

from __future__ import annotations

from dataclasses import dataclass

DEPUTY_PREFIX = "phó "
FALLBACK_TITLE = "Thủ trưởng cơ quan"


def is_deputy(position: str) -> bool:
    """'Phó Giám đốc', 'Phó Chủ tịch' are deputies; 'Giám đốc', 'Chủ tịch', '' are heads."""
    return (position or "").strip().lower().startswith(DEPUTY_PREFIX)


def head_title_of(position: str) -> str:
    """The head's title a deputy signs for: 'Phó Giám đốc' → 'Giám đốc'."""
    text = (position or "").strip()
    if is_deputy(text):
        rest = text[len(DEPUTY_PREFIX):].strip()
        return rest[:1].upper() + rest[1:]
    return text


@dataclass(frozen=True)
class SignatureBlock:
    lines: tuple[str, ...]   # the capitalised lines above the signature
    name: str                # the signer's full name, under the signature
    mode: str                # "head" | "kt" | "tuq"


def signature_block(*, signer_name: str, signer_position: str, collective_body: str = "", mode: str = "",
                    authorising_title: str = "") -> SignatureBlock:
    """The lines of the signature block for one signer.

    `collective_body` ("Ủy ban nhân dân") adds the "TM." line for a collective body. `mode` is inferred
    ("kt" for a deputy, else "head") unless "tuq" is asked, which needs `authorising_title` (the head's title).
    """
    position = (signer_position or "").strip()
    if mode not in ("", "head", "kt", "tuq"):
        raise ValueError(f"unknown signing mode: {mode}")
    if mode == "tuq" and not authorising_title:
        raise ValueError("TUQ. needs the title of the head who authorised the signer")
    mode = mode or ("kt" if is_deputy(position) else "head")
    lines: list[str] = []
    if collective_body:
        lines.append(f"TM. {collective_body.upper()}")
    if mode == "kt":
        lines += [f"KT. {head_title_of(position).upper()}", position.upper()]
    elif mode == "tuq":
        lines += [f"TUQ. {authorising_title.upper()}", (position or FALLBACK_TITLE).upper()]
    else:
        lines.append((position or FALLBACK_TITLE).upper())
    return SignatureBlock(lines=tuple(lines), name=signer_name.strip(), mode=mode)
