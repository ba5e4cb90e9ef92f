"""Every page type, visited in headless Chromium at 320 px and at 1366 px, in Finnish and in
Swedish: the document never scrolls sideways (WCAG 1.4.10 Reflow) and axe-core finds nothing
serious or critical (WCAG 2.1 A/AA).

The walk is data: each app's pages are the GET rows of its permission MATRIX that some role
opens with 200, built from the objects of its permission test, so a page added to a matrix is
checked here with no further work. Pages outside the apps' matrices are in CORE_PAGES.
"""

import pytest
from django.urls import reverse

from tests.browser.conftest import AXE_RULES, _axe, _describe
from tests.contracts import test_permissions as contracts
from tests.experts import test_permissions as experts
from tests.families import test_permissions as families
from tests.matrix import ROLES
from tests.placements import test_permissions as placements
from tests.training import test_permissions as training

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (320, 1366)
LANGUAGES = ("fi", "sv")
# Who opens a page when several roles may: the first of these with 200 in the matrix.
ROLE_ORDER = ("unit", "finance", "kemi", "admin", "tornio")


def _fixture(function):
    return function._get_wrapped_function()


# app: (its permission MATRIX, how its objects are built from the shared fixtures, its URL
# builder). One line per app.
APPS = {
    "families": (
        families.MATRIX,
        lambda f: _fixture(families.objects)(f["kemi_org"]),
        families._url,
    ),
    "training": (
        training.MATRIX,
        lambda f: _fixture(training.objects)(f["kemi_org"]),
        training._url,
    ),
    "placements": (
        placements.MATRIX,
        lambda f: placements._objects(f["kemi_org"], f["kemi_worker"]),
        placements._url_for,
    ),
    "experts": (
        experts.MATRIX,
        lambda f: experts._objects(f["kemi_org"], f["kemi_worker"], f["unit_worker"]),
        experts._url_for,
    ),
    "contracts": (
        contracts.MATRIX,
        lambda f: _fixture(contracts.objects)(
            None, f["kemi_org"], f["tornio_org"], f["finance_user"]
        ),
        contracts._url_for,
    ),
}

# The shared pages: (URL name, who opens it; None is an anonymous visitor).
CORE_PAGES = [
    ("login", None),
    ("accessibility-statement", None),
    ("accessibility-feedback", None),
    ("accessibility-feedback-thanks", None),
    ("privacy-notice", None),
    ("home", "unit"),
    ("home", "kemi"),
    ("home", "finance"),
    ("access-report", "unit"),
]


# GET URLs that answer a fragment for htmx (a picker's options), not a page.
FRAGMENTS = {
    "training:course-enrol-search",
    "placements:request-children-search",
    "placements:request-share-search",
    "placements:child-sibling-search",
    "placements:child-sibling-search-new",
    "experts:consultation-request-search",
    "experts:consultation-child-search",
    "experts:consultation-worker-search",
    "experts:consultation-expert-search",
    "experts:expert-serves-search",
    "contracts:contract-member-search",
}


def _pages_of(app: str, shared: dict) -> list[tuple[str, str, str]]:
    matrix, build, url_builder = APPS[app]
    url = url_builder(build(shared))
    pages = []
    for row in matrix:
        name, method, _key, expected = row
        if method != "get" or f"{app}:{name}" in FRAGMENTS:
            continue
        role = next((r for r in ROLE_ORDER if expected[ROLES.index(r)] == 200), None)
        if role is not None:
            pages.append((f"{app}:{name}", role, url(row)))
    return pages


def _document_scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def _widest(page) -> str:
    """The element that sticks out furthest, to name in the failure."""
    return page.evaluate(
        """() => {
          const limit = document.documentElement.clientWidth;
          let worst = null, right = limit;
          const clipped = (el) => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
            }
            return false;
          };
          for (const el of document.body.querySelectorAll('*')) {
            if (clipped(el)) continue;
            const r = el.getBoundingClientRect();
            if (r.right > right + 0.5) { right = r.right; worst = el; }
          }
          if (!worst) return '';
          const id = worst.id ? '#' + worst.id : '';
          const cls = worst.className && typeof worst.className === 'string'
            ? '.' + worst.className.trim().split(/\\s+/).join('.') : '';
          return worst.tagName.toLowerCase() + id + cls + ' right=' + Math.round(right);
        }"""
    )


def _walk(page, login, live_server, assert_accessible, pages) -> list[str]:
    """Visit each (label, role, url); return what failed."""
    failures = []
    current_role = "not signed in yet"
    for label, role, url in sorted(pages, key=lambda p: (str(p[1]), p[0])):
        if role != current_role:
            page.context.clear_cookies()
            if role is not None:
                login(role)
            current_role = role
        response = page.request.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a PDF, a calendar file, an archive: not a page
        for language in LANGUAGES:
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == language
                if _document_scrolls_sideways(page):
                    failures.append(f"{label} ({role}, {language}, {width}px): {_widest(page)}")
            # axe once per language: Finnish at desktop width, Swedish at phone width
            try:
                assert_accessible(page)
            except AssertionError as error:
                failures.append(f"{label} ({role}, {language}): {error}")
    return failures


@pytest.mark.parametrize("app", list(APPS))
def test_every_page_of_the_app_reflows_and_passes_axe(
    app,
    page,
    login,
    live_server,
    assert_accessible,
    roles,
    kemi_org,
    tornio_org,
):
    shared = {"kemi_org": kemi_org, "tornio_org": tornio_org, **roles}
    shared.update({"kemi_worker": roles["kemi"], "unit_worker": roles["unit"]})
    shared["finance_user"] = roles["finance"]
    pages = _pages_of(app, shared)
    assert pages, f"no pages found for {app}"
    failures = _walk(page, login, live_server, assert_accessible, pages)
    assert not failures, "\n".join(failures)


# --- the admin site ----------------------------------------------------------------------

# Findings in Django's own admin markup (and django-otp's), which no template, option or
# style of ours produces: rule id -> the pages it is excluded on (None: every admin page).
ADMIN_AXE_EXCLUDED: dict[str, tuple[str, ...] | None] = {
    # SelectFilter2.js (filter_horizontal: special skills, needs, experts, members,
    # permissions) puts aria-label on the <span class="help-tooltip"> in its labels.
    "aria-prohibited-attr": None,
    # The admin's autocomplete (select2, autocomplete_fields) gives its
    # <span role="combobox"> an aria-labelledby pointing at the chosen value only.
    "aria-input-field-name": None,
    # django-otp's TOTP device form: Django's split date-time input (throttling failure
    # timestamp) renders two <input>s under one <label>.
    "label": ("admin:otp_totp_totpdevice_add", "admin:otp_totp_totpdevice_change"),
}


def _axe_options(label: str) -> dict:
    excluded = [
        rule for rule, pages in ADMIN_AXE_EXCLUDED.items() if pages is None or label in pages
    ]
    return {**AXE_RULES, "rules": {rule: {"enabled": False} for rule in excluded}}


def _admin_pages() -> list[tuple[str, str, str]]:
    """The index, and each registered model's changelist, add page (where adding is
    allowed) and change page of its first object, all opened by the administrator."""
    from django.contrib import admin

    pages = [("admin:index", "admin", reverse("admin:index"))]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{info}_changelist", "admin", reverse(f"{info}_changelist")))
        pages.append((f"{info}_add", "admin", reverse(f"{info}_add")))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append((f"{info}_change", "admin", reverse(f"{info}_change", args=[first.pk])))
    return pages


def _walk_admin(page, login, live_server, pages) -> list[str]:
    """axe (Finnish, 1366 px) and no sideways scroll at 1366 px (Finnish and Swedish) and
    at 320 px (Finnish): Django's admin reflows at 320 px by its own responsive styles."""
    failures = []
    login("admin")
    for label, _role, url in pages:
        if page.request.get(url).status != 200:
            continue  # an add page the admin refuses (the register adds through services)
        for language, width in (("sv", 1366), ("fi", 320), ("fi", 1366)):
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(url)
            if _document_scrolls_sideways(page):
                failures.append(f"{label} ({language}, {width}px): {_widest(page)}")
        results = _axe.run(page, options=_axe_options(label))
        serious = [
            v for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]
        if serious:
            failures.append(f"{label}: {_describe(serious)}")
    return failures


def test_every_admin_page_passes_axe_and_reflows(
    page, login, live_server, roles, kemi_org, tornio_org
):
    shared = {"kemi_org": kemi_org, "tornio_org": tornio_org, **roles}
    shared.update({"kemi_worker": roles["kemi"], "unit_worker": roles["unit"]})
    shared["finance_user"] = roles["finance"]
    for _matrix, build, _url in APPS.values():
        build(shared)  # objects of every app, so each model has a change page to open
    failures = _walk_admin(page, login, live_server, _admin_pages())
    assert not failures, "\n".join(failures)


def test_every_shared_page_reflows_and_passes_axe(
    page, login, live_server, assert_accessible, roles
):
    pages = [(name, role, reverse(name)) for name, role in CORE_PAGES]
    failures = _walk(page, login, live_server, assert_accessible, pages)
    assert not failures, "\n".join(failures)
