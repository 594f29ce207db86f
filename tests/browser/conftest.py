"""Browser-test fixtures (Playwright driving Debian chromium) shared by every journey test.

Use them like this::

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(page, live_server, browser_login):
        browser_login("officer", "secret-pass")
        page.goto(live_server.url + "/mot-cua/")

Fixtures:
- ``browser`` (session): one headless chromium for the whole run (``/usr/bin/chromium``; the test
  FAILS, never skips, when it is missing, because CI installs it). Never ``playwright install``.
- ``page`` (function): a fresh context (cookies, storage) and page, Vietnamese locale, 1366×900,
  10 s default timeout; closed after the test.
- ``browser_login``: ``browser_login(username, password)`` signs in through ``/dang-nhap/`` on the
  live server with the current ``page``; ``browser_logout()`` signs out.
- ``screenshot``: ``screenshot(name)`` saves a full-page PNG of ``page`` to ``$CCHC_SCREENSHOT_DIR``
  (no-op when the variable is unset), for looking at pages by eye.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
# running loop unless told it is safe (it is: the test thread does its queries synchronously).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEFAULT_TIMEOUT_MS = 10_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run browser tests last. Playwright's sync API keeps an asyncio loop running in the main thread while
    the session-scoped browser lives, and any later test calling asyncio.run() (pyHanko does) would fail."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """settings.MEDIA_URL is None (uploads are never served directly), but Django's live server wraps
    every request in a media-files handler that needs a string prefix; give it one nobody links to."""
    from django.conf import settings

    if not settings.MEDIA_URL:
        settings.MEDIA_URL = "/__tep-tai-len-khong-phuc-vu__/"
    yield


@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole test session."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(f"chromium không có tại {CHROMIUM_PATH}: cài bằng `apt-get install -y chromium` (CI cài sẵn)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test (no cookies shared between tests)."""
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1366, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def browser_login(page, live_server):
    """Return login(username, password): signs in through the real login form."""

    def login(username: str, password: str, *, next_url: str = "/") -> None:
        page.goto(f"{live_server.url}/dang-nhap/?next={next_url}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form.form button[type=submit]")
        if "/dang-nhap/" in page.url:
            raise AssertionError(f"đăng nhập thất bại cho {username!r}")

    return login


@pytest.fixture
def browser_logout(page, live_server):
    """Return logout(): signs out with the top bar's button."""

    def logout() -> None:
        page.goto(f"{live_server.url}/")
        with page.expect_navigation():
            page.click("header .userbox button")

    return logout


@pytest.fixture
def screenshot(page):
    """Return shot(name): saves a full-page PNG under $CCHC_SCREENSHOT_DIR when it is set."""
    target = os.environ.get("CCHC_SCREENSHOT_DIR")

    def shot(name: str) -> Path | None:
        if not target:
            return None
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot
