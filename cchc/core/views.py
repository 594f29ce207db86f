"""Shell pages: home, login/logout, error pages."""

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST


def home(request):
    """Trang chủ: what each user can do next, by role."""
    return render(request, "core/home.html", {})


# Other ways to log in, shown under the password form: callables(request) -> (label, url) or None, appended by
# higher apps from AppConfig.ready() (cchc.identity: national electronic identity). Core never imports them.
LOGIN_OPTIONS: list = []


class LoginView(auth_views.LoginView):
    """Đăng nhập, with wrong passwords limited per account and address (cchc.core.loginlimit)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["login_options"] = [opt for opt in (f(self.request) for f in LOGIN_OPTIONS) if opt]
        return ctx

    def post(self, request, *args, **kwargs):
        from .loginlimit import LoginAttempt

        self.attempt = LoginAttempt(request)
        if self.attempt.refused():
            form = self.get_form_class()(request, initial={"username": request.POST.get("username", "")})  # not checked
            return self.render_to_response(self.get_context_data(form=form, locked=True), status=429)
        self.attempt.slow_down()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.attempt.succeeded()
        return super().form_valid(form)

    def form_invalid(self, form):
        self.attempt.failed()
        return super().form_invalid(form)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


API_ERROR_CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 500: "error"}


def _error(request, status: int, title: str, message: str):
    if request.path.startswith("/api/"):  # an API client gets the API's error body, not the HTML page
        return JsonResponse({"detail": message, "code": API_ERROR_CODES.get(status, "error")}, status=status)
    return render(request, "core/error.html", {"status": status, "title": title, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Yêu cầu không hợp lệ", "Dữ liệu gửi lên không đúng định dạng.")


def forbidden(request, exception=None):
    return _error(request, 403, "Không có quyền", "Bạn không có quyền xem trang này.")


def not_found(request, exception=None):
    return _error(request, 404, "Không tìm thấy", "Trang hoặc hồ sơ bạn tìm không tồn tại.")


def server_error(request):
    return _error(request, 500, "Lỗi hệ thống", "Đã có lỗi xảy ra; chúng tôi đã ghi nhận. Vui lòng thử lại sau.")
