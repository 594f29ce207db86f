from django.http import Http404, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError


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
    path is a 404 and one inside a JSON body a 400 (code "nul_character").

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
