"""Content-Security-Policy header (chính sách bảo mật nội dung), on every HTML answer (JSON, PDF and XLSX
answers run no script; a policy on a PDF can trip the browser's own viewer).

Django 5.2 has no CSP support (6.0 adds one), so this small middleware writes the header. Scripts run only
from our own origin or inline with this response's nonce: `<script nonce="{{ request.csp_nonce }}">`.
Inline event handlers (onclick=...) are blocked; use data-confirm / data-autosubmit / data-select-on-focus,
which cchc/static/cchc/behaviours.js wires up. Styles allow 'unsafe-inline' (style attributes in the
templates, htmx's indicator style); a style cannot run code.

CSP            "1" (default) sends the header; "report-only" sends Content-Security-Policy-Report-Only
               instead (to try a stricter policy on a live site); "0" sends nothing.
"""

from __future__ import annotations

import os
import secrets

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


def header_name(mode: str) -> str | None:
    mode = (mode or "1").strip().lower()
    if mode in {"0", "off", "false", "no"}:
        return None
    if mode == "report-only":
        return "Content-Security-Policy-Report-Only"
    return "Content-Security-Policy"


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = header_name(os.environ.get("CSP", "1"))

    def __call__(self, request):
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        if self.header and html and "Content-Security-Policy" not in response:
            response[self.header] = POLICY.format(nonce=nonce)
        return response
