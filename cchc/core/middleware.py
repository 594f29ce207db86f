import json
import re

from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError

MAX_JSON_DEPTH = 64  # nesting of arrays/objects in a request body; deeper is a 400 (no API needs more than ~5)
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class AdminOnlyForSystemAdmins:
    """Django admin is for system admins only: every other role is turned away before admin code runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/quan-tri-he-thong/"):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                # the admin's own login form too: /dang-nhap/ is the one that limits wrong passwords
                target = "/quan-tri-he-thong/" if request.path.rstrip("/").endswith("login") else request.path
                return HttpResponseRedirect(f"/dang-nhap/?next={target}")
            if not (user.is_superuser or getattr(user, "is_system_admin", False)):
                return HttpResponseForbidden("Chỉ quản trị hệ thống được vào trang này.")
        return self.get_response(request)


class StripNulFromQuery:
    """Drop NUL characters from query-string and form values before any view sees them; a NUL in the URL
    path is a 404 and one inside a JSON body a 400 (code "nul_character"). A JSON body nested deeper than
    MAX_JSON_DEPTH is a 400 ("json_too_deep": the parser would otherwise overflow the stack, a 500) and one
    holding a lone UTF-16 surrogate (``"\\ud800"``) a 400 ("invalid_character": no UTF-8 text can hold it, so
    hashing or storing it failed with a 500).

    PostgreSQL text cannot hold U+0000, so `?q=%00` would otherwise end in a database error (a 500) in
    any search box or filter; SQLite accepts it, so the same request behaved differently per database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:  # no URL of ours holds a NUL: "/don-vi/a%00b/" is simply not found
            raise Http404
        if request.method in ("POST", "PUT", "PATCH") and request.content_type == "application/json" and (
            b"\\u0000" in request.body or b"\x00" in request.body
        ):
            return JsonResponse({"detail": "Dữ liệu gửi lên chứa ký tự NUL (U+0000), không được chấp nhận.",
                                 "code": "nul_character", "field": None}, status=400)
        if request.method in ("POST", "PUT", "PATCH") and request.content_type == "application/json":
            problem = json_body_problem(request.body)
            if problem is not None:
                return JsonResponse(problem, status=400)
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if b"%00" in request.body or b"\x00" in request.body:
                request.POST = _without_nul(request.POST)
        elif request.method == "POST" and request.content_type == "multipart/form-data":
            try:  # parsed here rather than in the view; DRF reads request.POST/FILES when the stream is spent
                has_nul = any("\x00" in key or any("\x00" in v for v in request.POST.getlist(key)) for key in request.POST)
            except MultiPartParserError:
                has_nul = False  # left to the view (an empty form → its own 400)
            if has_nul:
                request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _without_nul(params):
    cleaned = params.copy()  # a mutable QueryDict
    for key in list(cleaned.keys()):
        values = [v.replace("\x00", "") for v in cleaned.getlist(key)]
        del cleaned[key]
        cleaned.setlist(key.replace("\x00", ""), values)
    cleaned._mutable = False
    return cleaned


def json_depth(body: bytes) -> int:
    """Deepest nesting of arrays/objects in a JSON text (brackets inside strings do not count)."""
    depth = deepest = 0
    for m in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if m.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def json_body_problem(body: bytes) -> dict | None:
    """The 400 answer for a JSON body too deep or holding a lone surrogate; None when it may go on."""
    if not body:
        return None
    if json_depth(body) > MAX_JSON_DEPTH:
        return {"detail": f"Dữ liệu JSON lồng nhau quá {MAX_JSON_DEPTH} cấp, không được chấp nhận.",
                "code": "json_too_deep", "field": None}
    if b"\\u" in body or b"\\U" in body:  # a surrogate can only arrive escaped (raw ones are invalid UTF-8)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None  # malformed: the API parser answers its own 400
        if _has_surrogate(data):
            return {"detail": "Dữ liệu gửi lên chứa ký tự Unicode không hợp lệ (nửa cặp thay thế UTF-16, U+D800–U+DFFF).",
                    "code": "invalid_character", "field": None}
    return None
