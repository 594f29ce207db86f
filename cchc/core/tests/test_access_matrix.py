"""Kiểm thử phân quyền sinh từ cấu hình URL (NetBox-style): every URL pattern × every role × every object relation,
compared with `cchc.core.access_policy` (deny by default: a URL without a policy entry fails).

GET for pages and endpoints; POST-only actions: anonymous and out-of-scope POSTs must be refused and write nothing.
Allowed → 2xx or a redirect to a page other than the login page; refused → 401/403/404/405 or (anonymous) the
login page; 5xx is never acceptable. Allowed answers are also searched for the private text of objects the user may
not read (no read leak). One world for the module (see `access_world.py`).
"""

from __future__ import annotations

import json
import logging
import os
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cchc.core.access_policy import ADMIN, ANONYMOUS, BUSINESS, CITIZEN, POLICY, ROLES, SUPERUSER, Rule

from .access_world import MISSING_ID, Variant, build_world

ADMIN_PREFIX = "quan-tri-he-thong/"
LOGIN_PATH = "/dang-nhap/"
CITIZEN_ROLES = {CITIZEN, BUSINESS}


def url_patterns():
    """(key, name, route, param names) for every URL pattern except the admin site's; key = name, or path:<route>."""
    out = []

    def walk(resolver, prefix, ns):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                sub = ns
                if p.namespace:
                    sub = f"{ns}:{p.namespace}" if ns else p.namespace
                route = prefix + str(p.pattern)
                if route.startswith(ADMIN_PREFIX):
                    continue
                walk(p, route, sub)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                name = f"{ns}:{p.name}" if ns and p.name else (p.name or "")
                params = list(p.pattern.regex.groupindex)
                out.append((name or f"path:{route}", name, route, params))

    walk(get_resolver(), "", "")
    return out


def test_every_url_has_an_access_policy():
    """Deny by default: a URL name the policy does not know fails here, naming it."""
    keys = [k for k, *_ in url_patterns()]
    missing = sorted({k for k in keys if k not in POLICY})
    assert not missing, (
        "URL without an access policy (add a Rule to cchc/core/access_policy.py, see docs/security_review.md): "
        + ", ".join(missing)
    )
    stale = sorted(set(POLICY) - set(keys))
    assert not stale, "policy entries for URLs that no longer exist: " + ", ".join(stale)
    for key, _name, _route, params in url_patterns():
        if params:
            assert POLICY[key].obj, f"{key}: the path takes {params}; its Rule must name the object (obj=...)"


# ---------------------------------------------------------------------------------------------------- the world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once per module inside a transaction rolled back at the end (both databases)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import transaction

    old = (settings.MEDIA_ROOT, getattr(settings, "VAR_DIR", None), settings.PASSWORD_HASHERS)
    base = tmp_path_factory.mktemp("access")
    settings.MEDIA_ROOT, settings.VAR_DIR = base / "media", base / "var"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    request_log = logging.getLogger("django.request")
    old_level = request_log.level
    # thousands of expected 403/404: no warning (and no traceback) per refusal
    request_log.setLevel(logging.ERROR)
    with django_db_blocker.unblock():
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()
            settings.MEDIA_ROOT, settings.VAR_DIR, settings.PASSWORD_HASHERS = old
            request_log.setLevel(old_level)


def clients(w) -> dict:
    out = {}
    for role in ROLES:
        c = Client(raise_request_exception=False)
        if w.users[role] is not None:
            c.force_login(w.users[role])
        out[role] = c
    return out


# ---------------------------------------------------------------------------------------------------- expectations


def _in_scope(user, units) -> bool:
    from cchc.accounts.permissions import in_scope

    return any(in_scope(user, u) for u in units)


def _same_province(user, units) -> bool:
    if user.is_superuser:
        return True
    if not user.unit_id:
        return False
    home = user.unit.province_id or user.unit_id
    return any((u.province_id or u.pk) == home for u in units)


def expected(rule: Rule, role: str, user, v: Variant | None) -> bool:
    if role not in rule.roles:
        return False
    if v is None:
        return True
    if v.label in ("missing", "wrong_token"):
        return False
    scope = rule.citizen_scope if (role in CITIZEN_ROLES and rule.citizen_scope) else rule.scope
    if scope is None:
        return True
    if scope == "none":
        return False
    if scope == "token":
        return True
    if scope == "owner":
        return role in CITIZEN_ROLES and v.owner is not None and v.owner == user
    if scope == "unit":
        return role not in CITIZEN_ROLES and (role == SUPERUSER or _in_scope(user, v.units))
    if scope == "province":
        return role not in CITIZEN_ROLES and _same_province(user, v.units)
    raise AssertionError(f"unknown scope {scope!r}")


def classify(resp) -> str:
    code = resp.status_code
    if code >= 500:
        return "error"
    if 300 <= code < 400:
        where = urlsplit(resp.get("Location", "")).path
        return "login" if where.startswith(LOGIN_PATH) else "allow"
    if 200 <= code < 300:
        return "allow"
    if code in (401, 403, 404, 405):
        return "deny"
    return f"status{code}"


def variants_for(w, rule: Rule, params: list[str]) -> list[Variant | None]:
    if not params:
        return [None]
    found = w.objects.get(rule.obj)
    if not found:
        return [Variant("missing", {p: MISSING_ID for p in params})]
    return found


def build_url(name, route, params, v: Variant | None) -> str:
    if not name:
        return "/" + route
    if v is None:
        return reverse(name)
    kwargs = {p: v.params.get(p, MISSING_ID) for p in params}
    return reverse(name, kwargs=kwargs)


def _body(resp) -> str:
    if getattr(resp, "streaming", False):
        return ""
    ctype = resp.get("Content-Type", "")
    if not ("html" in ctype or "json" in ctype or "text" in ctype):
        return ""
    return resp.content.decode("utf-8", "replace")


def _empty_listing(resp) -> bool:
    """A JSON list endpoint answered with no rows: [] or {"results"/"rows": []} (and a zero count)."""
    data = json.loads(resp.content)
    if isinstance(data, list):
        return not data
    rows = [data[k] for k in ("results", "rows") if k in data]
    return bool(rows) and all(not r for r in rows) and not data.get("count")


def _may_read(user, role, units, owner) -> bool:
    if role == SUPERUSER:
        return True
    if owner is not None and user == owner:
        return True
    if role in CITIZEN_ROLES or user is None:
        return False
    return _in_scope(user, units)


# ---------------------------------------------------------------------------------------------------- the matrix


def test_get_matrix_follows_the_policy(world, db):
    """Every URL × role × relation by GET; POST-only URLs: GET never succeeds."""
    from django.core.cache import cache

    w = world
    cs = clients(w)
    failures, checks, leaks = [], 0, 0
    observed = []
    started, cpu = time.monotonic(), time.process_time()
    for key, name, route, params in url_patterns():
        rule = POLICY.get(key)
        if rule is None:
            continue  # reported by test_every_url_has_an_access_policy
        for v in variants_for(w, rule, params):
            try:
                url = build_url(name, route, params, v)
            except Exception as exc:  # noqa: BLE001
                failures.append(f"{key}: cannot build the URL for {v and v.label}: {exc}")
                continue
            query = "&".join(q for q in (rule.query, v.query if v else "") if q)
            if query:
                url += "?" + query
            cache.clear()  # throttle counters: each URL starts afresh
            for role in ROLES:
                if rule.same_for_all and role not in (ANONYMOUS, CITIZEN, SUPERUSER):
                    continue
                user = w.users[role]
                t0 = time.monotonic()
                resp = cs[role].get(url)
                got = classify(resp)
                checks += 1
                label = v.label if v else "-"
                observed.append((key, role, label, resp.status_code, got, round(time.monotonic() - t0, 3)))
                if "POST" in rule.methods and "GET" not in rule.methods:
                    if got not in ("deny", "login"):
                        failures.append(
                            f"{key} [{label}] GET as {role}: {resp.status_code}, a POST-only URL must refuse GET"
                        )
                    continue
                want = expected(rule, role, user, v)
                if want and rule.needs and got in ("deny", "status400"):
                    continue  # the world cannot give the input (see Rule.needs); refusals of the others still count
                if got == "error":
                    failures.append(f"{key} [{label}] as {role}: {resp.status_code} (server error) {url}")
                elif want and got != "allow":
                    failures.append(
                        f"{key} [{label}] as {role}: {resp.status_code} ({got}), policy allows {url}"
                    )
                elif not want and got == "allow":
                    failures.append(f"{key} [{label}] as {role}: {resp.status_code}, policy refuses {url}")
                elif not want and role == ANONYMOUS and got not in ("login", "deny"):
                    failures.append(f"{key} [{label}] as anonymous: {resp.status_code} ({got})")
                if got == "allow" and role in rule.empty_for and not _empty_listing(resp):
                    failures.append(
                        f"{key} [{label}] as {role}: the list must be empty for this role ({url})"
                    )
                if got == "allow" and role != SUPERUSER:
                    text = _body(resp)
                    for marker, units, owner in w.secrets:
                        if marker in text and not _may_read(user, role, units, owner):
                            leaks += 1
                            failures.append(
                                f"{key} [{label}] as {role}: shows {marker!r} it may not read ({url})"
                            )
    # the admin site: one rule
    for role in ROLES:
        got = classify(cs[role].get("/" + ADMIN_PREFIX))
        checks += 1
        want = role in ADMIN.roles
        if (got == "allow") != want:
            failures.append(f"admin index as {role}: {got}, policy {'allows' if want else 'refuses'}")
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    dump = os.environ.get("ACCESS_MATRIX_DUMP")
    if dump:
        with open(dump, "w") as fh:
            json.dump(
                {"checks": checks, "seconds": elapsed, "observed": observed, "failures": failures},
                fh,
                ensure_ascii=False,
                indent=0,
            )
    print(
        f"access matrix: {checks} GET checks in {elapsed:.1f} s ({cpu:.1f} s CPU), {len(failures)} failures"
    )
    assert not failures, f"{len(failures)} of {checks} access checks differ from the policy:\n" + "\n".join(
        failures
    )


def test_unsafe_methods_are_refused_to_anonymous_and_out_of_scope(world, db):
    """POST to every URL as anonymous, and to every object outside the user's scope as each staff/citizen role the
    URL admits: refused (4xx or the login page) and nothing written to the audit log."""
    from cchc.core.models import AuditEvent

    w = world
    cs = clients(w)
    failures, checks = [], 0
    before = AuditEvent.objects.count()
    from django.core.cache import cache

    for key, name, route, params in url_patterns():
        rule = POLICY.get(key)
        if rule is None or key in ("login", "path:favicon.ico"):
            continue
        for v in variants_for(w, rule, params):
            url = build_url(name, route, params, v)
            cache.clear()
            roles = [ANONYMOUS] + (
                [
                    r
                    for r in ROLES
                    if r != ANONYMOUS and r in rule.roles and not expected(rule, r, w.users[r], v)
                ]
                if v is not None
                else []
            )
            if ANONYMOUS in rule.roles:
                roles.remove(ANONYMOUS)
            for role in roles:
                resp = cs[role].post(url, {})
                got = classify(resp)
                checks += 1
                if got not in ("deny", "login") and not (got.startswith("status4")):
                    failures.append(
                        f"{key} [{v and v.label}] POST as {role}: {resp.status_code} ({got}) {url}"
                    )
    written = AuditEvent.objects.count() - before
    print(f"access matrix: {checks} POST checks, {written} audit events written")
    assert not failures, "\n".join(failures)
    assert written == 0, f"{written} audit events written by refused POSTs"
