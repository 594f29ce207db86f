"""Identity links (liên kết định danh điện tử) and the local fake provider's state.

- OidcLink: one (issuer, subject) pair from a verified ID token → one citizen account (unique pair).
- VerifiedIdentity: the ID number a provider verified for an account (số định danh cá nhân đã xác thực), unique per
  normalised number, so one person never gets two accounts however many providers or races log them in.
- FakeSigningKey, FakeAuthCode: the local fake provider (dev/demo/tests only, see fake.py).
"""

from django.conf import settings
from django.db import models


class OidcLink(models.Model):
    """Liên kết tài khoản với danh tính OpenID Connect (issuer + sub)."""

    issuer = models.CharField(max_length=300, verbose_name="nhà cung cấp định danh (iss)")
    subject = models.CharField(max_length=255, verbose_name="mã định danh tại nhà cung cấp (sub)")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_links", verbose_name="tài khoản")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "liên kết định danh điện tử"
        verbose_name_plural = "liên kết định danh điện tử"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="identity_oidclink_issuer_subject_uniq")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class VerifiedIdentity(models.Model):
    """Số định danh đã được nhà cung cấp định danh xác thực cho một tài khoản người dân/doanh nghiệp."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_identity", verbose_name="tài khoản")
    id_number = models.CharField(max_length=20, unique=True, verbose_name="số định danh (đã chuẩn hoá)")
    issuer = models.CharField(max_length=300, verbose_name="xác thực bởi")
    verified_at = models.DateTimeField(verbose_name="xác thực lúc")

    class Meta:
        verbose_name = "định danh đã xác thực"
        verbose_name_plural = "định danh đã xác thực"

    def __str__(self) -> str:
        return f"{self.id_number} ({self.issuer})"


class FakeSigningKey(models.Model):
    """Khoá ký RSA của nhà cung cấp định danh giả lập (chỉ dùng cho thử nghiệm/demo)."""

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.kid


class FakeAuthCode(models.Model):
    """Mã uỷ quyền một lần của nhà cung cấp giả lập (authorization code, PKCE)."""

    code = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=200)
    redirect_uri = models.CharField(max_length=500)
    nonce = models.CharField(max_length=200, blank=True)
    code_challenge = models.CharField(max_length=200)
    identity_key = models.CharField(max_length=40)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.identity_key} {self.expires_at:%Y-%m-%d %H:%M}"
