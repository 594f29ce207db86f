"""The client's address (địa chỉ máy khách) for throttles and login limits.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only when the request comes
from a proxy listed in the setting ``TRUSTED_PROXIES`` (environment variable of the same name: IP addresses
or networks, comma-separated, e.g. ``127.0.0.1,10.0.0.0/8``; default: none). Then the header is read from
the right — the entry the nearest trusted proxy appended — skipping further trusted proxies, and the first
address not in the list is the client. Without trusted proxies the client is ``REMOTE_ADDR``, whatever the
header says, so changing the header cannot reset a count.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_networks() -> tuple:
    raw = getattr(settings, "TRUSTED_PROXIES", ()) or ()
    if isinstance(raw, str):
        raw = raw.split(",")
    return _networks(tuple(item.strip() for item in raw if item and item.strip()))


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(addr, networks) -> bool:
    return addr is not None and any(addr in net for net in networks)


def client_ip(request) -> str:
    """REMOTE_ADDR, or the nearest untrusted hop of X-Forwarded-For when REMOTE_ADDR is a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR") or "?"
    networks = trusted_networks()
    if not networks or not _trusted(_address(remote), networks):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:  # garbage in the header: stop believing it here, the proxy itself is the client
            return remote
        if not _trusted(addr, networks):
            return str(addr)
    return remote
