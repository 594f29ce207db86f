"""Demo PKI and PAdES signing of electronic results; verification catches every kind of tampering."""

from __future__ import annotations

import hashlib
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography import x509

from cchc.dossiers import documents, results, signing
from cchc.dossiers import workflow as wf
from cchc.dossiers.models import Dossier

from .factories import applicant


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return tmp_path_factory.mktemp("pki")


@pytest.fixture(scope="module")
def unit_files(pki):
    return signing.ensure_unit_certificate(code="T99.STP", name="Sở Tư pháp tỉnh Thử nghiệm", organisation="Tỉnh Thử nghiệm",
                                           base_dir=pki)


@pytest.fixture(scope="module")
def signed_pdf(pki, unit_files):
    plain = documents.render_pdf("result", documents.sample_context())
    return signing.sign_pdf(plain, cert_files=unit_files, base_dir=pki, location="Thử nghiệm")


def test_the_ca_is_created_once_with_the_demo_name_and_private_keys_are_owner_only(pki, unit_files):
    ca = signing.ensure_ca(pki)
    again = signing.ensure_ca(pki)
    assert not again.created and again.cert_path.read_bytes() == ca.cert_path.read_bytes()
    cert = ca.certificate()
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "CA demo CCHC"
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    for path in (ca.key_path, unit_files.key_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unit_certificate_is_issued_by_the_ca_for_signing(pki, unit_files):
    cert = unit_files.certificate()
    ca = signing.ensure_ca(pki).certificate()
    assert cert.issuer == ca.subject
    assert cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "Sở Tư pháp tỉnh Thử nghiệm"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    cert.verify_directly_issued_by(ca)


def test_concurrent_first_use_creates_one_authority(tmp_path):
    with ThreadPoolExecutor(max_workers=4) as pool:
        files = list(pool.map(lambda i: signing.ensure_unit_certificate(code=f"U{i}", name=f"Đơn vị {i}", base_dir=tmp_path), range(4)))
    ca = signing.ensure_ca(tmp_path).certificate()
    for f in files:
        f.certificate().verify_directly_issued_by(ca)


def test_a_signed_result_verifies_as_valid_unchanged_and_trusted(pki, signed_pdf):
    report = signing.verify_pdf(signed_pdf, base_dir=pki)
    assert report.signed and report.ok
    sig = report.first
    assert sig.valid and sig.intact and sig.unchanged and sig.trusted
    assert sig.signer == "Sở Tư pháp tỉnh Thử nghiệm" and sig.organisation == "Tỉnh Thử nghiệm"
    assert sig.signed_at


def test_changing_a_signed_byte_breaks_the_signature(pki, signed_pdf):
    data = bytearray(signed_pdf)
    pos = data.index(b"stream") + 20  # inside the first content stream, which the signature covers
    data[pos] ^= 0x01
    report = signing.verify_pdf(bytes(data), base_dir=pki)
    assert not report.ok
    assert not report.first.valid


def test_appending_an_update_after_signing_is_reported_as_modified(pki, signed_pdf):
    report = signing.verify_pdf(signed_pdf + b"\n%% appended\n", base_dir=pki)
    assert not report.ok
    assert report.first.valid and not report.first.unchanged


def test_a_signature_from_another_authority_is_not_trusted(tmp_path, signed_pdf):
    signing.ensure_ca(tmp_path)  # a different CA
    report = signing.verify_pdf(signed_pdf, base_dir=tmp_path)
    assert not report.ok and report.first.valid and not report.first.trusted


@pytest.mark.parametrize("data, message", [(b"", "không phải PDF"), (b"hello", "không phải PDF")])
def test_garbage_is_reported_not_raised(pki, data, message):
    report = signing.verify_pdf(data, base_dir=pki)
    assert not report.signed and message in report.error


def test_an_unsigned_pdf_is_reported_as_unsigned(pki):
    report = signing.verify_pdf(documents.render_pdf("result", documents.sample_context()), base_dir=pki)
    assert not report.signed and "không có chữ ký" in report.error


@pytest.mark.django_db
def test_issuing_a_result_stores_the_signed_file_and_marks_the_dossier(world, settings, tmp_path):
    from cchc.dossiers import services

    settings.VAR_DIR = tmp_path / "var"
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    d = services.dossier_transition(code=d.code, action=wf.ASSIGN, actor=world["officer"], handling_unit_code=world["dept"].code)
    d = services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    result = results.electronic_result_issue(dossier=d, actor=world["officer"], title="Phiếu lý lịch tư pháp", number="7/2026")
    data = results.result_bytes(result)
    assert hashlib.sha256(data).hexdigest() == result.sha256 and result.size == len(data)
    assert result.signed and result.signer == "Sở Tư pháp"
    assert Dossier.objects.get(pk=d.pk).has_electronic_result
    check = results.electronic_result_verify(result)
    assert check.ok and check.signature_valid and check.document_unchanged and check.signer == "Sở Tư pháp"
    assert (tmp_path / "var" / "pki" / "ca" / "ca.crt.pem").exists()


@pytest.mark.django_db
def test_a_result_file_changed_on_disk_fails_the_stored_hash(world, settings, tmp_path):
    from cchc.dossiers import services

    settings.VAR_DIR = tmp_path / "var"
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    d = services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    result = results.electronic_result_issue(dossier=d, actor=world["officer"])
    path = results.result_path(result)
    path.write_bytes(path.read_bytes() + b"\n%% edited\n")
    check = results.electronic_result_verify(result)
    assert not check.ok and not check.document_unchanged and not check.stored_hash_matches


@pytest.mark.django_db
def test_an_uploaded_non_pdf_result_is_a_400_and_nothing_is_stored(world, settings, tmp_path):
    from cchc.core.errors import DomainError
    from cchc.dossiers import services

    settings.VAR_DIR = tmp_path / "var"
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    d = services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    with pytest.raises(DomainError) as err:
        results.electronic_result_issue(dossier=d, actor=world["officer"], source_pdf=b"not a pdf")
    assert err.value.field == "file"
    assert not d.electronic_results.exists()


@pytest.mark.django_db
def test_an_officer_outside_the_scope_cannot_issue_a_result(world, settings, tmp_path):
    from cchc.core.errors import ForbiddenError
    from cchc.dossiers import services

    settings.VAR_DIR = tmp_path / "var"
    d = services.dossier_receive(actor=world["officer"], procedure=world["procedure"], unit=world["centre"], applicant=applicant())
    d = services.dossier_transition(code=d.code, action=wf.COMPLETE, actor=world["officer"])
    with pytest.raises(ForbiddenError):
        results.electronic_result_issue(dossier=d, actor=world["other_officer"])
    assert not d.electronic_results.exists()
    results_dir = Path(settings.MEDIA_ROOT) / "results"
    assert not results_dir.exists() or not list(results_dir.rglob("*.pdf"))


@pytest.mark.django_db
def test_the_demo_builder_creates_the_ca_and_the_provincial_issuing_units_certificates(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    ctx = {"province": world["province"]}
    signing.build(ctx)
    assert ctx["pki"]["units"] == 2 and ctx["pki"]["created"] == 3  # CA + Sở Tư pháp + service centre
    names = sorted(p.name for p in (tmp_path / "var" / "pki" / "units").glob("*.crt.pem"))
    assert names == ["T99.STP.crt.pem", "T99.TTHCC.crt.pem"]
    signing.build(ctx)
    assert ctx["pki"]["created"] == 0
