"""The signature checker: one verdict per file (valid and trusted, valid but untrusted issuer, modified, unsigned,
not a PDF), from real files made here with pyHanko, the same as poppler's `pdfsig` says, and pages that never
contradict themselves."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.dossiers import documents, results, signing
from cchc.dossiers.sigcheck import FileFacts, SignatureFacts, Verdict, classify

# -------------------------------------------------------------------------------------------- pure rules

GOOD = SignatureFacts(intact=True, valid=True, whole_file=True, trusted=True)


@pytest.mark.parametrize(("facts", "verdict"), [
    (FileFacts(readable=False), Verdict.NOT_PDF),
    (FileFacts(readable=True), Verdict.UNSIGNED),
    (FileFacts(readable=True, signatures=(GOOD,)), Verdict.VALID_TRUSTED),
    (FileFacts(readable=True, signatures=(GOOD,), stored_hash_matches=True), Verdict.VALID_TRUSTED),
    (FileFacts(readable=True, signatures=(SignatureFacts(True, True, True, False),)), Verdict.VALID_UNTRUSTED),
    (FileFacts(readable=True, signatures=(SignatureFacts(False, False, True, True),)), Verdict.MODIFIED),
    (FileFacts(readable=True, signatures=(SignatureFacts(True, False, True, True),)), Verdict.MODIFIED),
    (FileFacts(readable=True, signatures=(SignatureFacts(True, True, False, True),)), Verdict.MODIFIED),
    (FileFacts(readable=True, signatures=(SignatureFacts(True, True, True, True, error="boom"),)), Verdict.MODIFIED),
    # an untrusted AND modified file is "modified": damage is reported before trust
    (FileFacts(readable=True, signatures=(SignatureFacts(False, False, True, False),)), Verdict.MODIFIED),
    # the stored result's hash differs although the signature holds (re-signed or swapped file)
    (FileFacts(readable=True, signatures=(GOOD,), stored_hash_matches=False), Verdict.MODIFIED),
    # two signatures: only the last must cover the whole file; all must be trusted
    (FileFacts(readable=True, signatures=(SignatureFacts(True, True, False, True), GOOD)), Verdict.VALID_TRUSTED),
    (FileFacts(readable=True, signatures=(SignatureFacts(True, True, False, False), GOOD)), Verdict.VALID_UNTRUSTED),
])
def test_classify_gives_one_verdict_for_each_combination(facts, verdict):
    assert classify(facts) == verdict


# -------------------------------------------------------------------------------------------- real files

@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One real file per case, made the way they arise: our signature, a flipped byte, an appended update, an
    unsigned PDF, a PNG, and a signature by a self-signed certificate of nobody we know."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    base = tmp_path_factory.mktemp("sig")
    pki = base / "pki"
    unit = signing.ensure_unit_certificate(code="T99.STP", name="Sở Tư pháp tỉnh Thử nghiệm", organisation="Tỉnh Thử nghiệm",
                                           base_dir=pki)
    plain = documents.render_pdf("result", documents.sample_context())
    ours = signing.sign_pdf(plain, cert_files=unit, base_dir=pki, location="Thử nghiệm")
    tampered = bytearray(ours)
    pos = tampered.index(b"stream") + 20  # inside the first content stream, covered by the signature
    tampered[pos] ^= 0x01

    writer = IncrementalPdfFileWriter(io.BytesIO(ours), strict=False)
    writer.root["/Lang"] = generic.TextStringObject("vi")  # an innocent-looking incremental update after signing
    writer.update_root()
    appended = io.BytesIO()
    writer.write(appended)

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Người lạ tự ký")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    (base / "foreign.key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                            serialization.NoEncryption()))
    (base / "foreign.crt.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    foreign_signer = signers.SimpleSigner.load(key_file=str(base / "foreign.key.pem"), cert_file=str(base / "foreign.crt.pem"))
    foreign = signing._off_event_loop(
        signers.sign_pdf, IncrementalPdfFileWriter(io.BytesIO(plain), strict=False),
        signers.PdfSignatureMetadata(field_name="KyKetQua", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES),
        signer=foreign_signer,
    ).getvalue()
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
           b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
    made = {
        "signed": (ours, Verdict.VALID_TRUSTED),
        "tampered": (bytes(tampered), Verdict.MODIFIED),
        "appended": (appended.getvalue(), Verdict.MODIFIED),
        "unsigned": (plain, Verdict.UNSIGNED),
        "png": (png, Verdict.NOT_PDF),
        "foreign": (foreign, Verdict.VALID_UNTRUSTED),
    }
    paths = {}
    for label, (data, _) in made.items():
        path = base / f"{label}.{'png' if label == 'png' else 'pdf'}"
        path.write_bytes(data)
        paths[label] = path
    return {"pki": pki, "made": made, "paths": paths}


@pytest.fixture
def trust_pki(files, settings):
    """Make the module's PKI the platform's trust root for this test (verify_bytes reads settings.VAR_DIR/pki)."""
    settings.VAR_DIR = files["pki"].parent
    return files


CASES = ["signed", "tampered", "appended", "unsigned", "png", "foreign"]


@pytest.mark.parametrize("label", CASES)
def test_each_real_file_gets_its_verdict(trust_pki, label):
    data, expected = trust_pki["made"][label]
    check = results.verify_bytes(data)
    assert check.verdict == expected
    assert check.ok is (expected == Verdict.VALID_TRUSTED)


def test_a_stored_result_whose_file_differs_from_the_issued_hash_is_modified(trust_pki):
    data, _ = trust_pki["made"]["signed"]
    assert results.verify_bytes(data, expected_sha256=hashlib.sha256(data).hexdigest()).verdict == Verdict.VALID_TRUSTED
    other = results.verify_bytes(data, expected_sha256="0" * 64)
    assert other.verdict == Verdict.MODIFIED and "SHA-256" in other.explanation


def test_the_trusted_verdict_names_the_root_and_says_pdf_readers_will_not_trust_the_demo_ca(trust_pki):
    check = results.verify_bytes(trust_pki["made"]["signed"][0])
    assert "CA demo CCHC" in check.explanation and check.root["demo"]
    assert "không có trong danh sách tin cậy" in check.reader_note
    assert check.signer == "Sở Tư pháp tỉnh Thử nghiệm" and check.issuer == "CA demo CCHC"


def test_the_untrusted_verdict_names_the_foreign_issuer(trust_pki):
    check = results.verify_bytes(trust_pki["made"]["foreign"][0])
    assert "Người lạ tự ký" in check.explanation and not check.trusted and check.signature_valid


def test_a_different_authority_with_the_same_name_is_not_trusted_and_said_to_be_another_one(trust_pki, tmp_path):
    impostor = signing.ensure_unit_certificate(code="T99.STP", name="Sở Tư pháp tỉnh Thử nghiệm", base_dir=tmp_path)
    data = signing.sign_pdf(trust_pki["made"]["unsigned"][0], cert_files=impostor, base_dir=tmp_path)
    check = results.verify_bytes(data)
    assert check.verdict == Verdict.VALID_UNTRUSTED and check.issuer == "CA demo CCHC"
    assert "KHÁC mang cùng tên" in check.explanation


# ------------------------------------------------------------------------------------------------ pdfsig

def pdfsig_reading(path) -> dict:
    """What poppler's pdfsig says about a file, in our terms: verdict (without trust) and whether it trusts it."""
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    out = run.stdout + run.stderr
    if "does not contain any signatures" in out:
        return {"verdict": "unsigned", "trusted": False, "out": out}
    if "Signature #" not in out:
        return {"verdict": "not_pdf", "trusted": False, "out": out}
    valid = "Signature Validation: Signature is Valid." in out
    whole = "- Total document signed" in out
    return {"verdict": "valid" if valid and whole else "modified", "trusted": "Certificate is Trusted" in out, "out": out}


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) is not installed; .ci/run installs it")
@pytest.mark.parametrize("label", CASES)
def test_our_verdict_agrees_with_pdfsig(trust_pki, label):
    ours = results.verify_bytes(trust_pki["made"][label][0]).verdict
    theirs = pdfsig_reading(trust_pki["paths"][label])
    coarse = "valid" if ours in (Verdict.VALID_TRUSTED, Verdict.VALID_UNTRUSTED) else str(ours)
    assert coarse == theirs["verdict"], theirs["out"]
    # pdfsig trusts neither our demo CA (in no public store) nor the stranger: the page says so for ours.
    assert theirs["trusted"] is False
    if ours == Verdict.VALID_TRUSTED:
        assert "Certificate issuer isn't Trusted" in theirs["out"] or "issuer is unknown" in theirs["out"]


# -------------------------------------------------------------------------------------------------- pages

CONTRADICTIONS = {
    Verdict.MODIFIED: ["Tài liệu không bị sửa đổi: Đúng", "Chữ ký số hợp lệ", "tin cậy"],
    Verdict.UNSIGNED: ["sửa đổi", "Đơn vị ký"],
    Verdict.NOT_PDF: ["PdfReadError", "Error", "Đơn vị ký"],
    Verdict.VALID_UNTRUSTED: ["cơ quan chứng thực mà hệ thống này tin cậy</", "Chữ ký số hợp lệ, tài liệu"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("label", CASES)
def test_the_verify_page_shows_one_consistent_verdict(client, trust_pki, label):
    data, expected = trust_pki["made"][label]
    response = client.post(reverse("dossiers:verify"), {"file": SimpleUploadedFile(trust_pki["paths"][label].name, data)})
    body = response.content.decode()
    assert response.status_code == 200
    from cchc.dossiers.sigcheck import VERDICTS

    assert f'data-verdict="{expected}"' in body
    assert VERDICTS[expected].title in body
    for phrase in CONTRADICTIONS.get(expected, []):
        assert phrase not in body.split('id="result-check"', 1)[1], phrase
