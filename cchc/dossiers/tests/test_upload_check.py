"""The one upload check (tệp tải lên): size boundary, empty file, type by content, the field named."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.core.errors import DomainError
from cchc.dossiers.services import MAX_UPLOAD_BYTES, upload_check

PDF_HEAD = b"%PDF-1.4\n"


def _pdf(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("to-khai.pdf", PDF_HEAD + b"0" * (size - len(PDF_HEAD)), content_type="application/pdf")


def test_a_file_of_exactly_the_maximum_size_is_accepted_and_one_byte_more_is_refused():
    assert upload_check(_pdf(MAX_UPLOAD_BYTES))[0] == "pdf"
    with pytest.raises(DomainError) as exc:
        upload_check(_pdf(MAX_UPLOAD_BYTES + 1), field="documents")
    assert exc.value.code == "too_large" and exc.value.field == "documents" and "to-khai.pdf" in str(exc.value)


def test_an_empty_or_missing_file_and_a_wrong_type_are_refused_naming_the_field():
    with pytest.raises(DomainError) as exc:
        upload_check(SimpleUploadedFile("a.pdf", b""))
    assert exc.value.code == "empty" and exc.value.field == "file"
    with pytest.raises(DomainError) as exc:
        upload_check(None)
    assert exc.value.code == "required"
    with pytest.raises(DomainError) as exc:
        upload_check(SimpleUploadedFile("a.pdf", b"plain text, not a PDF"))
    assert exc.value.code == "bad_type" and "không đúng loại" in str(exc.value)
