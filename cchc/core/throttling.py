"""DRF throttles that identify the client by :func:`cchc.core.clientip.client_ip`.

DRF's own ``get_ident`` trusts any ``X-Forwarded-For`` when ``NUM_PROXIES`` is unset, so a client could
reset its count by changing the header; every throttle of the platform uses these classes instead.
"""

from __future__ import annotations

from rest_framework import throttling

from .clientip import client_ip


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """Per-client limit of a scope; the rate is read at request time (settings overrides apply)."""

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)
