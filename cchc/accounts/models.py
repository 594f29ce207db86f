"""Accounts: staff users belong to a unit and hold a role; citizens and businesses have their own accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """Vai trò."""

    ONE_STOP_OFFICER = "one_stop_officer", "Công chức bộ phận một cửa"
    SPECIALIST = "specialist", "Chuyên viên xử lý"
    UNIT_HEAD = "unit_head", "Người đứng đầu đơn vị"
    PAR_OFFICE = "par_office", "Cơ quan thường trực CCHC (Sở Nội vụ)"
    PROVINCE_LEADER = "province_leader", "Lãnh đạo tỉnh"
    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"
    CITIZEN = "citizen", "Người dân / doanh nghiệp"


STAFF_ROLES = {r for r in Role if r != Role.CITIZEN}


class NoticeChannel(models.TextChoices):
    """Kênh nhận thông báo hồ sơ (thư điện tử, tin nhắn SMS, Zalo)."""

    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"
    ZALO = "zalo", "Zalo"


def default_notice_channels(*, email: str, phone: str) -> list[str]:
    """Kênh mặc định: e-mail when known, plus SMS when a phone is known (Zalo only by the citizen's choice)."""
    chosen = []
    if email:
        chosen.append(NoticeChannel.EMAIL.value)
    if phone:
        chosen.append(NoticeChannel.SMS.value)
    return chosen


class User(AbstractUser):
    """Người dùng. Staff have a unit and a staff role; citizens have role CITIZEN and no unit."""

    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CITIZEN, db_index=True, verbose_name="vai trò")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name="đơn vị công tác")
    full_name = models.CharField(max_length=200, blank=True, verbose_name="họ và tên")
    position = models.CharField(
        max_length=120, blank=True, verbose_name="chức vụ",
        help_text="Chức vụ in ở khối chữ ký (vd. Giám đốc, Phó Giám đốc, Chủ tịch, Phó Chủ tịch)",
    )
    phone = models.CharField(max_length=20, blank=True, db_index=True, verbose_name="điện thoại")
    id_number = models.CharField(max_length=20, blank=True, help_text="Số định danh cá nhân / mã số doanh nghiệp", verbose_name="số định danh cá nhân")
    is_organisation = models.BooleanField(default=False, verbose_name="là tổ chức")
    home_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="nơi cư trú",
        help_text="Xã/phường nơi cư trú (người dân): nơi nộp mặc định cho thủ tục cấp xã. Không cấp quyền gì.",
    )

    notice_channels = models.CharField(
        max_length=40, blank=True, verbose_name="kênh nhận thông báo",
        help_text="Các kênh nhận thông báo hồ sơ, cách nhau bởi dấu phẩy (email, sms, zalo). Để trống: mặc định "
                  "(e-mail và SMS khi có số điện thoại).",
    )

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_system_admin(self) -> bool:
        return self.is_superuser or self.role == Role.SYSTEM_ADMIN

    def notice_channel_list(self) -> list[str]:
        """The citizen's chosen notice channels, or the default (e-mail + SMS when a phone is known)."""
        if self.notice_channels.strip():
            return [c for c in self.notice_channels.split(",") if c in NoticeChannel.values]
        return default_notice_channels(email=self.email, phone=self.phone)

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
