"""Shell pages: home, login/logout, error pages."""

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST


def home(request):
    """Trang chủ: what each user can do next, by role."""
    return render(request, "core/home.html", {})


LOGIN_FAILURES_ALLOWED = 10  # wrong passwords per login name within 15 minutes; then the form answers 429
LOGIN_FAILURE_WINDOW = 15 * 60  # (per name, not per address: behind a proxy every citizen shares one address)


def _login_failure_keys(request) -> list[str]:
    from cchc.core.textfold import fold

    name = fold(str(request.POST.get("username", ""))[:150]).replace(" ", "")
    return [f"core:login-fail:{name}"] if name else []


class LoginView(auth_views.LoginView):
    """Đăng nhập, with wrong passwords limited per login name (guessing a password is not free)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        from django.core.cache import cache

        if any((cache.get(key) or 0) >= LOGIN_FAILURES_ALLOWED for key in _login_failure_keys(request)):
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")})  # not checked
            return self.render_to_response(self.get_context_data(form=form, locked=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        from django.core.cache import cache

        for key in _login_failure_keys(self.request):
            cache.add(key, 0, LOGIN_FAILURE_WINDOW)
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, LOGIN_FAILURE_WINDOW)
        return super().form_invalid(form)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


def _error(request, status: int, title: str, message: str):
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Yêu cầu không hợp lệ", "Dữ liệu gửi lên không đúng định dạng.")


def forbidden(request, exception=None):
    return _error(request, 403, "Không có quyền", "Bạn không có quyền xem trang này.")


def not_found(request, exception=None):
    return _error(request, 404, "Không tìm thấy", "Trang hoặc hồ sơ bạn tìm không tồn tại.")


def server_error(request):
    return _error(request, 500, "Lỗi hệ thống", "Đã có lỗi xảy ra; chúng tôi đã ghi nhận. Vui lòng thử lại sau.")
