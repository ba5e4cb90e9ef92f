"""Headless Chromium (the system's, driven by Playwright) against a live test server.

Every browser test is marked ``browser``. ``assert_accessible(page)`` runs axe-core on the
page as it is and fails on serious or critical findings (WCAG 2.1 AA rules).
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# for set-up and checks are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """login(username) signs in through the login form as a person would."""

    def sign_in(username: str, password: str = "demo") -> Page:
        page.goto("/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".user-name")).to_be_visible()
        return page

    return sign_in


_axe = Axe()


def _describe(violations) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(str(node["target"]) for node in v["nodes"][:5])
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} — {targets}")
    return "\n".join(lines)


@pytest.fixture
def assert_accessible():
    def check(page: Page) -> None:
        results = _axe.run(page, options=AXE_RULES)
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"axe-core on {page.url}:\n{_describe(serious)}"

    return check
