"""The front page (the work queue) for the five demo roles (tests/matrix.py's shape).

It is fostercare's only page of its own; every role opens it and sees only its own items
(tests/worklist/test_items.py and test_municipal.py say which)."""

import pytest
from django.urls import reverse

from tests.matrix import ROLES, assert_anonymous_sent_to_login, assert_matrix

# name, method, which object's id, expected status for unit, kemi, tornio, finance, admin
MATRIX = [
    ("home", "get", None, (200, 200, 200, 200, 200)),
]


def _url(row):
    return reverse(row[0])


def test_anonymous_is_sent_to_login(client, db):
    assert_anonymous_sent_to_login(client, MATRIX, _url)


@pytest.mark.parametrize("role", ROLES)
def test_front_page_by_role(role, roles, client_for):
    assert_matrix(client_for(roles[role]), MATRIX, _url, role)
