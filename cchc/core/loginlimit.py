"""Giới hạn đăng nhập sai: wrong passwords counted per account (however it was typed) and per address.

The rule (docs/security_review.md, "Login limit"):

- the typed name is resolved to the account the authentication backend would log in (username, e-mail,
  or a phone number in any spelling: "0912 345 678", "+84912345678", "84912345678" are one account); a
  name no account answers to is counted in one normalised spelling;
- **account + address**: after 10 wrong passwords within 15 minutes from one client address for one account,
  that address is refused (429) for that account until the window ends — the password is not even checked;
- **address**: after 100 wrong passwords within 15 minutes from one address (any accounts), that address is
  refused (429): one machine spraying many accounts;
- **account, from every address**: after 10 wrong passwords within 15 minutes, every further attempt on
  the account is answered more slowly (0.5 s per failure beyond the tenth, at most 2 s) but is still
  checked. Attempts from many addresses therefore slow down, yet never lock the real officer out: from
  their own address the right password still logs in.

The address is :func:`cchc.core.clientip.client_ip` (X-Forwarded-For only from ``TRUSTED_PROXIES``).
Counters live in the default cache: one process with the local-memory cache, all workers with a shared one.
"""

from __future__ import annotations

import hashlib
import time

from django.contrib.auth import get_backends
from django.core.cache import cache

from .clientip import client_ip

WINDOW_SECONDS = 15 * 60
FAILURES_PER_ACCOUNT_AND_ADDRESS = 10
FAILURES_PER_ADDRESS = 100
SLOWDOWN_AFTER = 10
SLOWDOWN_STEP_SECONDS = 0.5
SLOWDOWN_MAX_SECONDS = 2.0

_sleep = time.sleep  # replaced in tests


def account_key(identifier: str) -> str:
    """"u<pk>" for the account the name resolves to, else "n<hash of the normalised name>"; "" when empty."""
    ident = str(identifier or "").strip()[:150]
    if not ident:
        return ""
    normalised = ident.lower()
    for backend in get_backends():
        resolve = getattr(backend, "resolve_account", None)
        if resolve is not None:
            user = resolve(ident)
            if user is not None:
                return f"u{user.pk}"
            normalised = backend.normalise_identifier(ident)
            break
    return "n" + hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class LoginAttempt:
    """The counters one login POST touches."""

    def __init__(self, request):
        self.account = account_key(request.POST.get("username", ""))
        address = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
        self.address_key = f"core:login-fail:addr:{address}"
        self.account_keys = [f"core:login-fail:acct:{self.account}"] if self.account else []
        self.pair_keys = [f"core:login-fail:pair:{self.account}:{address}"] if self.account else []

    @staticmethod
    def _count(key: str) -> int:
        return cache.get(key) or 0

    def refused(self) -> bool:
        """True when this address may not try this account (or any account) now."""
        if self._count(self.address_key) >= FAILURES_PER_ADDRESS:
            return True
        return any(self._count(k) >= FAILURES_PER_ACCOUNT_AND_ADDRESS for k in self.pair_keys)

    def delay_seconds(self) -> float:
        failures = max((self._count(k) for k in self.account_keys), default=0)
        if failures < SLOWDOWN_AFTER:
            return 0.0
        return min(SLOWDOWN_MAX_SECONDS, SLOWDOWN_STEP_SECONDS * (failures - SLOWDOWN_AFTER + 1))

    def slow_down(self) -> float:
        seconds = self.delay_seconds()
        if seconds:
            _sleep(seconds)
        return seconds

    def failed(self) -> None:
        for key in [self.address_key, *self.account_keys, *self.pair_keys]:
            cache.add(key, 0, WINDOW_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)

    def succeeded(self) -> None:
        cache.delete_many(self.pair_keys)
