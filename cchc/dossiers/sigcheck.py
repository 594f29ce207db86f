"""Kết luận kiểm tra chữ ký số: one classification of what a signature check found, and its Vietnamese wording.

Pure module (no Django, no pyHanko): `signing.verify_pdf` gathers the facts, `classify` decides, the lookup
page and the verify page print `VERDICTS[verdict]`. The five verdicts are the ones a PDF reader (Adobe Acrobat,
poppler's `pdfsig`) distinguishes, so the page never says something a reader contradicts:

| verdict           | facts                                                   | pdfsig says                                     |
|-------------------|---------------------------------------------------------|-------------------------------------------------|
| not_pdf           | the file cannot be read as a PDF                        | error, exit code ≠ 0                            |
| unsigned          | a readable PDF without any signature                    | "does not contain any signatures"               |
| modified          | a signature does not match the bytes it covers, or the  | "Digest Mismatch" / "Signature is Invalid", or  |
|                   | file was changed after the last signature, or it is not | "Not total document signed"                     |
|                   | the file the platform issued (stored SHA-256)           |                                                 |
| valid_untrusted   | every signature intact, covering the whole file, but    | "Signature is Valid" + "Certificate issuer      |
|                   | the certificate does not chain to a root we trust       | isn't Trusted" / "is unknown"                   |
| valid_trusted     | as above, and the certificate chains to the platform's  | "Signature is Valid" (+ issuer not trusted, as  |
|                   | trust root                                              | the demo root is in no public trust store)      |
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    VALID_TRUSTED = "valid_trusted"
    VALID_UNTRUSTED = "valid_untrusted"
    MODIFIED = "modified"
    UNSIGNED = "unsigned"
    NOT_PDF = "not_pdf"


@dataclass(frozen=True)
class SignatureFacts:
    """What was observed about one signature of a file."""

    intact: bool          # the digest of the signed byte ranges matches the signed attributes
    valid: bool           # the cryptographic signature verifies with the signer's certificate
    whole_file: bool      # the signed byte ranges cover the whole file (nothing appended after signing)
    trusted: bool         # the signer's certificate chains to a trust root of this platform
    error: str = ""       # the signature could not be checked at all (malformed signature dictionary)


@dataclass(frozen=True)
class FileFacts:
    readable: bool                        # parsed as a PDF
    signatures: tuple[SignatureFacts, ...] = ()
    stored_hash_matches: bool | None = None   # None: not a stored result (free upload on the verify page)


def classify(facts: FileFacts) -> Verdict:
    """The one verdict for a file. Order matters: unreadable, then unsigned, then any damage, then trust."""
    if not facts.readable:
        return Verdict.NOT_PDF
    if not facts.signatures:
        return Verdict.UNSIGNED
    if facts.stored_hash_matches is False:
        return Verdict.MODIFIED
    for sig in facts.signatures:
        if sig.error or not (sig.intact and sig.valid):
            return Verdict.MODIFIED
    # Only the last signature can cover the whole file; an update appended after it is a modification.
    if not facts.signatures[-1].whole_file:
        return Verdict.MODIFIED
    if all(sig.trusted for sig in facts.signatures):
        return Verdict.VALID_TRUSTED
    return Verdict.VALID_UNTRUSTED


def modification_detail(facts: FileFacts) -> str:
    """Which kind of modification (shown under the verdict "modified")."""
    if facts.stored_hash_matches is False and all(s.intact and s.valid and not s.error for s in facts.signatures):
        return "Tệp khác với tệp kết quả đã phát hành (mã băm SHA-256 không khớp)."
    if any(s.error for s in facts.signatures):
        return "Chữ ký bị hỏng, không kiểm tra được."
    if any(not (s.intact and s.valid) for s in facts.signatures):
        return "Nội dung đã ký không còn khớp với chữ ký: tài liệu đã bị thay đổi sau khi ký."
    return "Tài liệu đã được ghi thêm nội dung sau khi ký (phần thêm vào không được chữ ký bảo đảm)."


@dataclass(frozen=True)
class VerdictText:
    title: str
    explanation: str
    ok: bool


VERDICTS: dict[Verdict, VerdictText] = {
    Verdict.VALID_TRUSTED: VerdictText(
        "Chữ ký số hợp lệ, tài liệu không bị sửa đổi sau khi ký",
        "Chứng thư ký do {root} cấp — cơ quan chứng thực mà hệ thống này tin cậy.",
        True,
    ),
    Verdict.VALID_UNTRUSTED: VerdictText(
        "Chữ ký số nguyên vẹn nhưng chứng thư ký không được hệ thống này tin cậy",
        "Tài liệu không bị sửa đổi sau khi ký, nhưng chứng thư ký do “{issuer}” cấp, không phải {root}. "
        "Không xác định được đây là kết quả do cơ quan nhà nước trên hệ thống này phát hành.",
        False,
    ),
    Verdict.MODIFIED: VerdictText(
        "Tài liệu đã bị sửa đổi sau khi ký — không sử dụng tệp này",
        "{detail}",
        False,
    ),
    Verdict.UNSIGNED: VerdictText(
        "Tệp PDF không có chữ ký số",
        "Tệp đọc được nhưng không có chữ ký số nào, nên không xác định được ai phát hành và tệp có bị sửa hay không. "
        "Kết quả điện tử do hệ thống phát hành luôn có chữ ký số của cơ quan giải quyết.",
        False,
    ),
    Verdict.NOT_PDF: VerdictText(
        "Tệp không phải PDF hoặc không đọc được",
        "Chỉ kiểm tra được tệp PDF. Hãy chọn đúng tệp kết quả điện tử đã tải về (đuôi .pdf).",
        False,
    ),
}
