"""Pages: citizen registration (đăng ký) and the profile page (hồ sơ tài khoản)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from cchc.core.errors import DomainError

from .models import NoticeChannel
from .selectors import user_me
from .services import citizen_register, user_set_notice_channels, user_update_profile


def register(request):
    """Đăng ký tài khoản người dân, doanh nghiệp."""
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    values = {"full_name": "", "phone": "", "email": "", "id_number": "", "is_organisation": False}
    error = None
    if request.method == "POST":
        p = request.POST
        values = {"full_name": p.get("full_name", ""), "phone": p.get("phone", ""), "email": p.get("email", ""),
                  "id_number": p.get("id_number", ""), "is_organisation": p.get("is_organisation") == "on"}
        if p.get("password", "") != p.get("password2", ""):
            error = DomainError("Hai lần nhập mật khẩu không khớp.", code="password_mismatch", field="password2")
        else:
            try:
                user = citizen_register(password=p.get("password", ""), **values)
            except DomainError as exc:
                error = exc
            else:
                login(request, user, backend="cchc.accounts.backends.UsernamePhoneEmailBackend")
                messages.success(request, f"Đăng ký thành công. Tên đăng nhập của bạn: {user.username}")
                return redirect("accounts:profile")
    status = 400 if error else 200
    return render(request, "accounts/register.html", {"values": values, "error": error}, status=status)


@login_required
def profile(request):
    """Hồ sơ tài khoản: who I am, my role, unit and scope; edit name and contact details."""
    error = None
    if request.method == "POST" and request.POST.get("form") == "notices":
        try:
            user_set_notice_channels(user=request.user, actor=request.user, channels=request.POST.getlist("notice_channels"))
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "Đã lưu kênh nhận thông báo.")
            return redirect("accounts:profile")
    elif request.method == "POST":
        p = request.POST
        try:
            user_update_profile(user=request.user, actor=request.user, full_name=p.get("full_name", ""),
                                phone=p.get("phone", ""), email=p.get("email", ""))
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("accounts:profile")
    request.user.refresh_from_db()
    chosen = request.user.notice_channel_list()
    channels = [{"value": v, "label": label, "checked": v in chosen} for v, label in NoticeChannel.choices]
    return render(request, "accounts/profile.html", {"me": user_me(request.user), "error": error, "channels": channels},
                  status=400 if error else 200)
