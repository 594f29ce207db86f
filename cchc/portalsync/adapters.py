"""The national portal's adapter (Cổng Dịch vụ công quốc gia): one small interface, a local fake, an HTTP client.

The portal's synchronisation protocol is not public (provinces receive it with their connection credentials), so
the contract is minimal and stated here, not guessed in detail:
- send(event) → "accepted" | "duplicate": deliver one dossier status event; `event_id` is the idempotency key
  (the same event sent twice is stored once and answered "duplicate"); raises PortalError when refused/unreachable;
- snapshot(province_code) → {dossier_code: status}: what the portal holds, for reconciliation.
Setting PORTALSYNC_MODE "fake" (default outside production) or "http" with PORTALSYNC_URL and PORTALSYNC_TOKEN.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import FakePortalControl, FakePortalDossier, FakePortalReceipt


class PortalError(Exception):
    """The portal refused the event or could not be reached (retry later)."""


class FakePortal:
    """Cổng DVC quốc gia giả lập: stores what it receives; can be told to fail (FakePortalControl)."""

    name = "fake"
    endpoint = "local-fake://cong-dvc-quoc-gia"

    @staticmethod
    def control() -> FakePortalControl:
        ctl = FakePortalControl.objects.order_by("id").first()
        return ctl or FakePortalControl.objects.create()

    def send(self, event: dict) -> str:
        failure = ""
        with transaction.atomic():  # the failure switch commits even though the call then fails
            ctl = FakePortalControl.objects.select_for_update().order_by("id").first()
            if ctl is not None:
                if ctl.fail_always:
                    failure = "Cổng giả lập: tạm ngừng dịch vụ (503)"
                elif ctl.fail_next:
                    ctl.fail_next -= 1
                    ctl.save(update_fields=["fail_next"])
                    failure = "Cổng giả lập: lỗi tạm thời (503)"
                elif event["dossier_code"] in set(ctl.fail_codes.split()):
                    failure = "Cổng giả lập: từ chối mã hồ sơ (422)"
        if failure:
            raise PortalError(failure)
        with transaction.atomic():
            if FakePortalReceipt.objects.filter(event_id=event["event_id"]).exists():
                return "duplicate"
            try:
                with transaction.atomic():
                    FakePortalReceipt.objects.create(event_id=event["event_id"], dossier_code=event["dossier_code"],
                                                     kind=event["status"], seq=event["seq"], occurred_at=event["occurred_at"])
            except IntegrityError:
                return "duplicate"
            row = FakePortalDossier.objects.select_for_update().filter(dossier_code=event["dossier_code"]).first()
            if row is None:
                FakePortalDossier.objects.create(dossier_code=event["dossier_code"], province_code=event["province_code"],
                                                 status=event["status"], seq=event["seq"])
            elif event["seq"] > row.seq:  # an older event arriving late never overwrites a newer status
                row.status, row.seq = event["status"], event["seq"]
                row.save(update_fields=["status", "seq", "updated_at"])
        return "accepted"

    def snapshot(self, province_code: str) -> dict[str, str]:
        return dict(FakePortalDossier.objects.filter(province_code=province_code).values_list("dossier_code", "status"))


class HttpPortal:
    """Assumed HTTP shape (to be aligned with the portal's connection documents): POST {url}/events JSON with
    header Idempotency-Key: event_id → 200/201 accepted, 409 duplicate; GET {url}/dossiers?province=CODE →
    {"dossiers": [{"code", "status"}]}. Bearer token from PORTALSYNC_TOKEN."""

    name = "http"
    timeout = 15

    def __init__(self, url: str, token: str):
        self.endpoint, self.token = url.rstrip("/"), token

    def _request(self, url: str, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {self.token}",
                                                               "Content-Type": "application/json", **(headers or {})})
        return urllib.request.urlopen(req, timeout=self.timeout)  # noqa: S310 (URL from settings)

    def send(self, event: dict) -> str:
        try:
            with self._request(self.endpoint + "/events", json.dumps(event, default=str).encode(),
                               {"Idempotency-Key": event["event_id"]}):
                return "accepted"
        except urllib.error.HTTPError as exc:
            if exc.code == 409:
                return "duplicate"
            raise PortalError(f"HTTP {exc.code}") from exc
        except OSError as exc:
            raise PortalError(f"không kết nối được: {exc}") from exc

    def snapshot(self, province_code: str) -> dict[str, str]:
        try:
            with self._request(self.endpoint + "/dossiers?" + urllib.parse.urlencode({"province": province_code})) as resp:
                body = json.loads(resp.read().decode())
        except OSError as exc:
            raise PortalError(f"không đọc được dữ liệu Cổng: {exc}") from exc
        return {d["code"]: d["status"] for d in body.get("dossiers", [])}


def portal():
    """The configured adapter, or None when synchronisation is off (events wait in the outbox, visibly)."""
    mode = getattr(settings, "PORTALSYNC_MODE", "fake")
    if mode == "http" and settings.PORTALSYNC_URL:
        return HttpPortal(settings.PORTALSYNC_URL, settings.PORTALSYNC_TOKEN)
    if mode == "fake":
        return FakePortal()
    return None
