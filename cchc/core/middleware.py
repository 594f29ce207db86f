from django.http import HttpResponseForbidden, HttpResponseRedirect


class AdminOnlyForSystemAdmins:
    """Django admin is for system admins only: every other role is turned away before admin code runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/quan-tri-he-thong/"):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                if request.path.rstrip("/").endswith("login"):
                    return self.get_response(request)
                return HttpResponseRedirect(f"/dang-nhap/?next={request.path}")
            if not (user.is_superuser or getattr(user, "is_system_admin", False)):
                return HttpResponseForbidden("Chỉ quản trị hệ thống được vào trang này.")
        return self.get_response(request)


class StripNulFromQuery:
    """Drop NUL characters from query-string and form values before any view sees them.

    PostgreSQL text cannot hold U+0000, so `?q=%00` would otherwise end in a database error (a 500) in
    any search box or filter; SQLite accepts it, so the same request behaved differently per database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            if b"%00" in request.body or b"\x00" in request.body:
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
