"""Chữ ký số cho kết quả điện tử: a demo certificate authority, one certificate per issuing unit,
PAdES signing with pyHanko and verification of a signed PDF.

Layout under settings.VAR_DIR / "pki" (never committed; `var/` is ignored):
    ca/ca.crt.pem, ca/ca.key.pem            root "CA demo CCHC"
    units/<unit code>.crt.pem / .key.pem    one signing certificate per issuing unit
Everything is created lazily on first use (and by the demo); keys are written 0600 under a file lock
so that two processes signing at once do not create two different authorities.

This is a DEMO authority: a real deployment signs with certificates from a licensed provider
(Luật Giao dịch điện tử 2023; chữ ký số chuyên dùng công vụ of Ban Cơ yếu Chính phủ). Replace the files
in `units/` (same names) and the CA in `ca/` with the real chain; nothing else changes.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import os
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "CA demo CCHC"
CA_ORGANISATION = "Nền tảng CCHC (demo)"
KEY_SIZE = 2048
CA_YEARS = 20
UNIT_YEARS = 5


def pki_dir(base_dir: Path | str | None = None) -> Path:
    if base_dir is not None:
        return Path(base_dir)
    from django.conf import settings

    return Path(settings.VAR_DIR) / "pki"


@contextmanager
def _locked(base: Path):
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with open(base / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(path: Path, data: bytes, *, secret: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def safe_code(code: str) -> str:
    """A unit code as a file name (codes may hold dots and slashes)."""
    cleaned = re.sub(r"[^0-9A-Za-z._-]+", "_", code or "").strip("._")
    return cleaned or "unit"


@dataclass
class CertificateFiles:
    cert_path: Path
    key_path: Path
    created: bool = False

    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())


def ensure_ca(base_dir: Path | str | None = None) -> CertificateFiles:
    """Create the root CA "CA demo CCHC" unless it exists; return its files."""
    base = pki_dir(base_dir)
    files = CertificateFiles(base / "ca" / "ca.crt.pem", base / "ca" / "ca.key.pem")
    if files.cert_path.exists() and files.key_path.exists():
        return files
    with _locked(base):
        if files.cert_path.exists() and files.key_path.exists():
            return files
        key = _new_key()
        name = x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, CA_ORGANISATION),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ])
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False),
                critical=True,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        _write(files.key_path, _key_pem(key), secret=True)
        _write(files.cert_path, cert.public_bytes(serialization.Encoding.PEM), secret=False)
        files.created = True
        return files


def ensure_unit_certificate(
    *, code: str, name: str, organisation: str = "", base_dir: Path | str | None = None
) -> CertificateFiles:
    """Create the signing certificate of one issuing unit (by its code) unless it exists."""
    base = pki_dir(base_dir)
    ca_files = ensure_ca(base)
    stem = safe_code(code)
    files = CertificateFiles(base / "units" / f"{stem}.crt.pem", base / "units" / f"{stem}.key.pem")
    if files.cert_path.exists() and files.key_path.exists():
        return files
    with _locked(base):
        if files.cert_path.exists() and files.key_path.exists():
            return files
        ca_cert = ca_files.certificate()
        ca_key = serialization.load_pem_private_key(ca_files.key_path.read_bytes(), password=None)
        key = _new_key()
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
        if organisation:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
        attrs += [
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, (code or "unit")[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, (name or code)[:64]),
        ]
        now = _now()
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attrs))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365 * UNIT_YEARS))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                              encipher_only=False, decipher_only=False),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        _write(files.key_path, _key_pem(key), secret=True)
        _write(files.cert_path, cert.public_bytes(serialization.Encoding.PEM), secret=False)
        files.created = True
        return files


def ensure_for_unit(unit, base_dir: Path | str | None = None) -> CertificateFiles:
    """The certificate of a `units.Unit` (name as CN, province as O), created on first use."""
    province = getattr(unit, "province_unit", None)
    organisation = province.name if province is not None and province.pk != unit.pk else ""
    return ensure_unit_certificate(code=unit.code, name=unit.name, organisation=organisation, base_dir=base_dir)


# ------------------------------------------------------------------------------------------ signing

def _off_event_loop(func, *args, **kwargs):
    """pyHanko's synchronous API calls asyncio.run(); when this thread already runs an event loop
    (an ASGI worker, or a test process driving Playwright), run the call in a short-lived worker thread."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


def sign_pdf(
    pdf_bytes: bytes,
    *,
    cert_files: CertificateFiles,
    reason: str = "Kết quả giải quyết thủ tục hành chính",
    location: str = "",
    field_name: str = "KyKetQua",
    base_dir: Path | str | None = None,
) -> bytes:
    """Sign a PDF (PAdES baseline B-B: no timestamp authority is reachable offline) and return it."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    ca_files = ensure_ca(base_dir)
    signer = signers.SimpleSigner.load(
        key_file=str(cert_files.key_path),
        cert_file=str(cert_files.cert_path),
        ca_chain_files=(str(ca_files.cert_path),),
    )
    if signer is None:
        raise RuntimeError("không đọc được khóa ký")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location or None,
    )
    out = _off_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return out.getvalue()


# ------------------------------------------------------------------------------------- verification

@dataclass
class SignatureCheck:
    """Result of checking one signature (what the public lookup page shows)."""

    field: str = ""
    valid: bool = False          # Chữ ký hợp lệ: cryptographically intact and made by the certificate
    intact: bool = False         # the signed bytes were not altered
    unchanged: bool = False      # tài liệu không bị sửa đổi: the signature covers the whole file
    trusted: bool = False        # the certificate chains to our CA
    signer: str = ""             # đơn vị ký (certificate CN)
    organisation: str = ""
    issuer: str = ""             # CN of the certificate's issuer (the CA that issued it)
    signed_at: str = ""
    summary: str = ""
    error: str = ""              # the signature could not be checked at all

    def facts(self):
        from .sigcheck import SignatureFacts

        return SignatureFacts(intact=self.intact, valid=self.valid, whole_file=self.unchanged, trusted=self.trusted,
                              error=self.error)


@dataclass
class VerificationReport:
    signed: bool
    ok: bool
    signatures: list[SignatureCheck] = field(default_factory=list)
    error: str = ""
    readable: bool = True

    def facts(self, *, stored_hash_matches: bool | None = None):
        from .sigcheck import FileFacts

        return FileFacts(readable=self.readable, signatures=tuple(s.facts() for s in self.signatures),
                         stored_hash_matches=stored_hash_matches)

    def as_dict(self) -> dict:
        return {"signed": self.signed, "ok": self.ok, "error": self.error,
                "signatures": [asdict(s) for s in self.signatures]}

    @property
    def first(self) -> SignatureCheck | None:
        return self.signatures[0] if self.signatures else None


def _name_part(subject, oid) -> str:
    try:
        return subject.native.get(oid, "") or ""
    except Exception:  # pragma: no cover - malformed names
        return ""


def verify_pdf(pdf_bytes: bytes, *, base_dir: Path | str | None = None) -> VerificationReport:
    """Check every signature of a PDF against the demo CA. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import load_cert_from_pemder
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    ca_path = pki_dir(base_dir) / "ca" / "ca.crt.pem"
    roots = [load_cert_from_pemder(str(ca_path))] if ca_path.exists() else []
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        return VerificationReport(signed=False, ok=False, readable=False,
                                  error=f"Tệp không phải PDF hoặc không đọc được ({type(exc).__name__}).")
    if not embedded:
        return VerificationReport(signed=False, ok=False, error="Tệp không có chữ ký số.")
    checks = []
    usage = KeyUsageConstraints(key_usage={"digital_signature"}, match_all_key_usages=False)
    for sig in embedded:
        check = SignatureCheck(field=sig.field_name or "")
        try:
            context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
            status = _off_event_loop(validate_pdf_signature, sig, context, key_usage_settings=usage)

            check.intact = bool(status.intact)
            check.valid = bool(status.intact and status.valid)
            check.trusted = bool(status.trusted)
            check.unchanged = bool(status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
            subject = status.signing_cert.subject
            check.signer = _name_part(subject, "common_name")
            check.organisation = _name_part(subject, "organization_name")
            check.issuer = _name_part(status.signing_cert.issuer, "common_name")
            if status.signer_reported_dt:
                check.signed_at = status.signer_reported_dt.isoformat()
            check.summary = status.summary()
        except Exception as exc:
            check.error = f"{type(exc).__name__}: {exc}"[:300]
            check.summary = f"Không kiểm tra được chữ ký ({check.error})"
        checks.append(check)
    report = VerificationReport(signed=True, ok=False, signatures=checks)
    from .sigcheck import Verdict, classify

    report.ok = classify(report.facts()) == Verdict.VALID_TRUSTED
    return report


def trust_root(base_dir: Path | str | None = None) -> dict:
    """The root this platform trusts for results: its names, and whether it is the demo authority."""
    path = pki_dir(base_dir) / "ca" / "ca.crt.pem"
    if not path.exists():
        return {"name": CA_NAME, "organisation": CA_ORGANISATION, "demo": True, "fingerprint": ""}
    cert = x509.load_pem_x509_certificate(path.read_bytes())

    def part(oid):
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    name = part(NameOID.COMMON_NAME)
    return {"name": name, "organisation": part(NameOID.ORGANIZATION_NAME), "demo": name == CA_NAME,
            "fingerprint": cert.fingerprint(hashes.SHA256()).hex(":").upper()}


# ------------------------------------------------------------------------------------------------ demo

def issuing_units(province):
    """Units that sign results in a province: handling units of its published procedures, and its
    service centres (communes get their certificate lazily, on their first signed result)."""
    from cchc.catalog.models import ProvinceProcedure
    from cchc.units.models import Unit, UnitKind

    ids = set(
        ProvinceProcedure.objects.filter(province=province, handling_unit__isnull=False)
        .exclude(handling_unit__kind__in=["commune", "ward", "special_zone"])
        .values_list("handling_unit_id", flat=True)
    )
    ids |= set(Unit.objects.filter(province=province, kind=UnitKind.SERVICE_CENTRE).values_list("id", flat=True))
    return list(Unit.objects.filter(id__in=ids).order_by("code"))


def build(ctx: dict, *, stdout=None) -> None:
    """Demo builder: the demo CA and a certificate for every provincial issuing unit (idempotent)."""
    province = ctx.get("province")
    ca = ensure_ca()
    created = int(ca.created)
    units = issuing_units(province) if province is not None else []
    for unit in units:
        created += int(ensure_for_unit(unit).created)
    ctx["pki"] = {"dir": str(pki_dir()), "units": len(units), "created": created}
    if stdout is not None:
        stdout.write(f"pki: CA “{CA_NAME}” và {len(units)} chứng thư đơn vị tại {pki_dir()} (mới tạo {created})\n")
