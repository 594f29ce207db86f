"""Kết quả điện tử: issue a settled dossier's result as a PDF signed (PAdES) with the issuing unit's
certificate, store it, and verify it for the public lookup page.

The result file is either a PDF the specialist uploads (the signed decision / certificate itself) or,
when none is given, the generated "Kết quả giải quyết thủ tục hành chính (bản điện tử)" page. The
stored row is D1's `ElectronicResult` (registered through `services.electronic_result_record`, which
also sets `Dossier.has_electronic_result`, the flag the digitisation statistics count).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cchc.core.errors import ConflictError, DomainError, ForbiddenError, NotFoundError

from . import signing
from . import workflow as wf

MAX_RESULT_BYTES = 20 * 1024 * 1024


def issuing_unit(dossier):
    """Đơn vị ký kết quả: the unit that settled the dossier (handling unit), else the desk's unit."""
    return dossier.handling_unit or dossier.unit


def _store(data: bytes) -> tuple[str, Path]:
    """Write the signed result through the Storage API (storage.save_bytes: tied to an enclosing files_atomic)."""
    from . import storage

    stored = storage.save_bytes(data, folder="results", ext="pdf")
    return stored.name, Path(settings.MEDIA_ROOT) / stored.name


def electronic_result_issue(
    *,
    dossier,
    actor,
    source_pdf: bytes | None = None,
    title: str = "",
    number: str = "",
    summary: str = "",
    lookup_url: str = "",
    signatory=None,
):
    """Ký số và phát hành kết quả điện tử of a settled dossier; returns the ElectronicResult row.

    Raises ConflictError (409) when the dossier has no result yet, DomainError (400) for a file that is
    not a PDF, ForbiddenError (403, from the record service) when the actor may not process it, ConflictError
    409 `no_signatory` when the issuing unit has no head recorded. The signatory is a head of the issuing unit
    (`signatory`: a username or user, else its head); the actor is recorded as the drafter.
    """
    from .services import can_process_dossier, electronic_result_record

    if not can_process_dossier(actor, dossier):
        raise ForbiddenError("Bạn không có quyền phát hành kết quả của hồ sơ này.", code="forbidden")
    if dossier.status not in wf.SETTLED_STATES:
        raise ConflictError(
            f"Hồ sơ {dossier.code} chưa có kết quả giải quyết (trạng thái “{dossier.status_label}”); "
            "chỉ phát hành kết quả điện tử sau khi có kết quả.",
            code="not_settled",
        )
    from .issuance import signatory_resolve, signature_for

    unit = issuing_unit(dossier)
    signer = signatory_resolve(unit=unit, chosen=signatory, what="result")
    if source_pdf is not None:
        if len(source_pdf) > MAX_RESULT_BYTES:
            raise DomainError("file: tệp kết quả quá lớn (tối đa 20 MB).", code="too_large", field="file")
        if not source_pdf.startswith(b"%PDF-"):
            raise DomainError("file: tệp kết quả phải là PDF.", code="bad_type", field="file")
        pdf = source_pdf
    else:
        from .documents import dossier_form_context, render_pdf

        ctx = dossier_form_context(dossier, "result", lookup_url=lookup_url)
        ctx["result"] = {"title": title or dossier.procedure.name, "number": number, "summary": summary}
        ctx["signature"] = signature_for(unit, signer)
        ctx["signer_name"] = ctx["signature"]["name"]
        ctx["drafter"] = actor.display_name() if hasattr(actor, "display_name") else ""
        pdf = render_pdf("result", ctx)
    files = signing.ensure_for_unit(unit)
    try:
        signed = signing.sign_pdf(
            pdf, cert_files=files, reason=f"Kết quả giải quyết hồ sơ {dossier.code}",
            location=(unit.province_unit.name if unit.province_unit else unit.name),
        )
    except Exception as exc:  # a broken uploaded PDF must not become a 500
        raise DomainError(f"file: không ký được tệp PDF này ({type(exc).__name__}).", code="unsignable", field="file") from None
    rel, target = _store(signed)
    try:
        return electronic_result_record(
            dossier=dossier, actor=actor, file_path=rel, sha256=hashlib.sha256(signed).hexdigest(), size=len(signed),
            signed=True, signer=unit.name, signatory=signer,
        )
    except Exception:
        target.unlink(missing_ok=True)
        raise


def result_path(result) -> Path:
    return Path(settings.MEDIA_ROOT) / result.file_path


def result_bytes(result) -> bytes:
    path = result_path(result)
    if not path.is_file():
        raise NotFoundError("Không tìm thấy tệp kết quả điện tử.", code="result_file_missing")
    return path.read_bytes()


@dataclass
class ResultCheck:
    """What the lookup and verify pages show: one verdict (sigcheck.classify) and the facts behind it.

    The rows never contradict the verdict: they are derived from the same facts, and the rows about
    content and trust are shown only when there is a signature to speak of.
    """

    verdict: str
    title: str
    explanation: str
    signature_valid: bool        # every signature intact and cryptographically valid
    document_unchanged: bool     # ... and the last one covers the whole file, and the stored hash matches
    trusted: bool                # the certificate chains to this platform's trust root
    signer: str
    issuer: str
    signed_at: str
    stored_hash_matches: bool
    ok: bool
    root: dict
    reader_note: str = ""

    @property
    def message(self) -> str:
        return f"{self.title}. {self.explanation}".strip()

    @property
    def has_signature(self) -> bool:
        return self.verdict in ("valid_trusted", "valid_untrusted", "modified") and bool(self.signer or self.issuer)

    @property
    def signed_at_text(self) -> str:
        """'21:35 26/11/2026' in the local time zone."""
        if not self.signed_at:
            return ""
        from datetime import datetime

        moment = datetime.fromisoformat(self.signed_at)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%H:%M %d/%m/%Y}"

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _root_label(root: dict) -> str:
    label = f"“{root['name']}”"
    if root.get("organisation"):
        label += f" ({root['organisation']})"
    return label


def reader_note(verdict: str, root: dict) -> str:
    """What Adobe Acrobat, Foxit or poppler's pdfsig will say about the same file, honestly."""
    if verdict == "valid_trusted" and root.get("demo"):
        return ("Phần mềm đọc PDF (Adobe Acrobat, Foxit, pdfsig) sẽ báo chữ ký nguyên vẹn nhưng “không xác định được "
                "người ký / Certificate issuer isn't Trusted”: CA demo của bản thử nghiệm này không có trong danh sách "
                "tin cậy công khai của các phần mềm đó. Khi triển khai thật, kết quả được ký bằng chứng thư số của tổ chức "
                "cung cấp dịch vụ chứng thực được cấp phép và phần mềm đọc PDF sẽ nhận diện được.")
    if verdict == "valid_trusted":
        return "Phần mềm đọc PDF chỉ xác nhận người ký khi chứng thư gốc này có trong danh sách tin cậy của phần mềm."
    if verdict == "valid_untrusted":
        return "Phần mềm đọc PDF cũng sẽ báo chứng thư ký không được tin cậy."
    if verdict == "modified":
        return "Phần mềm đọc PDF sẽ báo chữ ký không hợp lệ hoặc tài liệu đã bị thay đổi sau khi ký."
    return ""


def verify_bytes(data: bytes, *, expected_sha256: str = "") -> ResultCheck:
    """Check a file: read it, check every signature, compare with the stored hash, and classify once."""
    from .sigcheck import VERDICTS, Verdict, classify, modification_detail

    report = signing.verify_pdf(data)
    hash_ok = hashlib.sha256(data).hexdigest() == expected_sha256 if expected_sha256 else True
    facts = report.facts(stored_hash_matches=(hash_ok if expected_sha256 else None))
    verdict = classify(facts)
    text = VERDICTS[verdict]
    root = signing.trust_root()
    first = report.first
    last = report.signatures[-1] if report.signatures else None
    explanation = text.explanation.format(
        root=_root_label(root), issuer=(first.issuer if first else "") or "không rõ",
        detail=modification_detail(facts) if verdict == Verdict.MODIFIED else "",
    )
    if verdict == Verdict.VALID_UNTRUSTED and first is not None and first.issuer == root.get("name"):
        explanation = (f"Tài liệu không bị sửa đổi sau khi ký, nhưng chứng thư ký do một cơ quan chứng thực KHÁC mang cùng tên "
                       f"“{first.issuer}” cấp (khác dấu vân tay với chứng thư gốc mà hệ thống này tin cậy) — có thể là giả mạo. "
                       "Không xác định được đây là kết quả do cơ quan nhà nước trên hệ thống này phát hành.")
    valid = bool(report.signatures) and all(s.valid and not s.error for s in report.signatures)
    return ResultCheck(
        verdict=str(verdict), title=text.title, explanation=explanation,
        signature_valid=valid,
        document_unchanged=valid and bool(last and last.unchanged) and hash_ok,
        trusted=bool(report.signatures) and all(s.trusted for s in report.signatures),
        signer=first.signer if first else "", issuer=first.issuer if first else "",
        signed_at=first.signed_at if first else "", stored_hash_matches=hash_ok, ok=text.ok,
        root=root, reader_note=reader_note(str(verdict), root),
    )


def electronic_result_verify(result) -> ResultCheck:
    """Verify a stored result: the signature, whole-file coverage, our CA, and the hash fixed at issue."""
    try:
        data = result_bytes(result)
    except NotFoundError as exc:
        return ResultCheck(verdict="missing", title="Không tìm thấy tệp kết quả điện tử", explanation=exc.message,
                           signature_valid=False, document_unchanged=False, trusted=False, signer="", issuer="",
                           signed_at="", stored_hash_matches=False, ok=False, root=signing.trust_root())
    return verify_bytes(data, expected_sha256=result.sha256)


def latest_result(dossier):
    return dossier.electronic_results.order_by("-issued_at", "-id").first()
