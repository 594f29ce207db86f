"""Errors for people: a machine code, the field at fault and a Vietnamese message.

Services raise DomainError (or a subclass); the API exception handler turns it into a 4xx JSON body
{"detail": ..., "code": ..., "field": ...}; pages show the message; the CLI prints it and exits 2.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler


class DomainError(Exception):
    """A rule was broken; nothing was written."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.extra = extra or {}

    def as_dict(self) -> dict:
        body = {"detail": self.message, "code": self.code}
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        return body


class ConflictError(DomainError):
    """The action does not fit the object's current state or version (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class NotFoundError(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


class ForbiddenError(DomainError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "forbidden"


def api_exception_handler(exc, context):
    """DRF exception handler: DomainError and Django errors become clear 4xx answers, never a 500."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response(_invalid_body(detail), status=400)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound("Không tìm thấy.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    response = drf_default_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data["code"] = getattr(detail, "code", None) or "error"
    elif response is not None and isinstance(response.data, (dict, list)):
        response.data = _invalid_body(response.data)
    return response


def _invalid_body(errors) -> dict:
    """A validation failure: {"detail", "code": "invalid", "field": first field named, "errors": {...}}."""
    body = {"detail": "Dữ liệu không hợp lệ.", "code": "invalid"}
    if isinstance(errors, dict):
        names = [k for k in errors if k not in ("non_field_errors", "__all__")]
        if names:
            body["field"] = str(names[0])
            first = errors[names[0]]
            if isinstance(first, (list, tuple)) and first and isinstance(first[0], str):
                body["detail"] = f"Dữ liệu không hợp lệ: {names[0]}: {first[0]}"
    body["errors"] = errors
    return body
