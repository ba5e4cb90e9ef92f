"""The one shape of a permission test: every URL of an app, with the exact status each
role gets (netbox's way). Each app's ``test_permissions.py`` declares

    MATRIX = [
        # name, method, which object's id, expected for unit, kemi, tornio, finance, admin
        ("request-detail", "get", "request", (200, 200, 404, 403, 200)),
        ...
    ]

with the objects belonging to Kemi, and calls the helpers below. ``tests/test_matrix.py``
fails when a URL name of the project is in no app's matrix.
"""

from collections.abc import Callable, Iterable

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("unit", "kemi", "tornio", "finance", "admin")

Row = tuple[str, str, str | None, tuple[int, int, int, int, int]]


def expected_for(row: Row, role: str) -> int:
    return row[3][ROLES.index(role)]


def assert_matrix(client, rows: Iterable[Row], url: Callable[[Row], str], role: str) -> None:
    """Every row answers exactly its expected status for ``role``; lists all mismatches."""
    wrong = []
    for row in rows:
        name, method, _key, _expected = row
        status = getattr(client, method)(url(row)).status_code
        if status != expected_for(row, role):
            wrong.append((name, method, status, expected_for(row, role)))
    assert not wrong, f"{role}: (url, method, got, expected) {wrong}"


def assert_anonymous_sent_to_login(client, rows: Iterable[Row], url: Callable[[Row], str]):
    login = reverse("login")
    wrong = []
    for row in rows:
        response = getattr(client, row[1])(url(row))
        if response.status_code != 302 or not response.url.startswith(login):
            wrong.append((row[0], response.status_code))
    assert not wrong, f"anonymous not sent to login: {wrong}"


def assert_other_municipality_gets_404(
    client, rows: Iterable[Row], url: Callable[[Row], str]
) -> int:
    """For every row about an object: the other municipality's worker gets 404. Returns
    how many rows were tried, for the caller to pin."""
    wrong, tried = [], 0
    for row in rows:
        if row[2] is None:
            continue
        status = getattr(client, row[1])(url(row)).status_code
        tried += 1
        if status != 404:
            wrong.append((row[0], status))
    assert not wrong, f"not 404 for another municipality's object: {wrong}"
    return tried


def url_names(namespace: str) -> set[str]:
    """Every URL name under ``namespace`` in the project's URLconf."""
    names: set[str] = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or prefix)
            elif isinstance(pattern, URLPattern) and pattern.name and prefix == namespace:
                names.add(pattern.name)

    walk(get_resolver().url_patterns, None)
    return names
