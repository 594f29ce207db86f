"""OpenAPI schema that matches the server (issue 11): error answers, nullable nested objects, paginated lists.

Lược đồ OpenAPI. drf-spectacular documents what a view declares; the server also answers, for every API view:
- 400 when the request carries parameters or a body (bad input → the field and the rule, cchc.core.errors),
- 401 when a token or session is missing or invalid (TokenAuthentication answers 401 even on public views),
- 403 when the caller may not do it, 404 when a path names an unknown object or a body/filter names one,
- 409 when a change does not fit the object's state or version (every unsafe method),
- 415 when a body comes in a content type the view does not parse,
- 429 when the view is throttled.
ApiSchema adds these with the project's error body (ApiError) where the view did not document the code itself,
and marks a nested object nullable when its model field is (UnitRef for a unit without parent, …).
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

ERROR_TEXT = {
    400: "Dữ liệu không hợp lệ: trường (field) và quy tắc bị vi phạm",
    401: "Chưa đăng nhập hoặc token không hợp lệ",
    403: "Không có quyền thực hiện thao tác này",
    404: "Không tìm thấy đối tượng",
    409: "Trạng thái hoặc phiên bản hiện tại không cho phép thao tác",
    415: "Kiểu nội dung (Content-Type) của thân yêu cầu không được hỗ trợ",
    429: "Quá nhiều yêu cầu; thử lại sau (Retry-After)",
}


class ApiErrorSerializer(serializers.Serializer):
    """Lỗi API: {"detail", "code", "field"?, "errors"?} (cchc.core.errors); extra keys may follow."""

    detail = serializers.CharField(help_text="Thông báo tiếng Việt")
    code = serializers.CharField(help_text="Mã lỗi cho máy (invalid, not_found, conflict, throttled, …)")
    field = serializers.CharField(required=False, allow_null=True, help_text="Trường gây lỗi, nếu có")
    errors = serializers.JSONField(
        required=False, help_text="Lỗi theo từng trường (khi dữ liệu không hợp lệ)"
    )


def paginated(serializer_class: type[serializers.Serializer], name: str | None = None):
    """The PageNumberPagination envelope {count, next, previous, results} around serializer_class (APIViews)."""
    name = name or f"Paginated{serializer_class.__name__.removesuffix('Serializer')}List"
    return inline_serializer(
        name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def error_codes(*, method: str, path: str, operation: dict, throttled: bool) -> list[int]:
    """The error answers an operation can give (rules in the module docstring)."""
    has_input = bool(operation.get("parameters") or operation.get("requestBody"))
    codes = [401, 403]
    if has_input:
        codes.append(400)
    if "{" in path or method in UNSAFE or has_input:
        codes.append(404)
    if method in UNSAFE:
        codes.append(409)
    if operation.get("requestBody"):
        codes.append(415)
    if throttled:
        codes.append(429)
    return sorted(codes)


class ApiSchema(AutoSchema):
    """AutoSchema + the error answers every API view can give + nullable nested objects."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None or not path.startswith("/api/v1/"):
            return operation
        responses = operation.setdefault("responses", {})
        error_ref = self.resolve_serializer(ApiErrorSerializer, "response").ref
        throttled = bool(getattr(self.view, "throttle_classes", None))
        for code in error_codes(method=method, path=path, operation=operation, throttled=throttled):
            responses.setdefault(
                str(code),
                {
                    "content": {"application/json": {"schema": error_ref}},
                    "description": ERROR_TEXT[code],
                },
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if (
            isinstance(field, serializers.Serializer)
            and not field.allow_null
            and _model_field_is_nullable(field)
        ):
            field.allow_null = True  # only the schema reads it: None renders as null whatever allow_null says
        return super()._map_serializer_field(field, direction, bypass_extensions)


def _model_field_is_nullable(field) -> bool:
    """A nested serializer whose source is a nullable foreign key (parent = UnitRefSerializer(), …)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None or not getattr(field, "source_attrs", None) or len(field.source_attrs) != 1:
        return False
    try:
        return bool(model._meta.get_field(field.source_attrs[0]).null)
    except Exception:  # a property or a reverse accessor: nothing to learn from the model
        return False
