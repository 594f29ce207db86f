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
