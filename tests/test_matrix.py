"""Every URL name of every app is in that app's permission matrix."""

import importlib

import pytest

from tests.matrix import url_names

APPS = ["families", "training", "placements", "experts", "contracts", "reports"]


@pytest.mark.parametrize("app", APPS)
def test_every_url_of_the_app_is_in_its_permission_matrix(app):
    matrix = importlib.import_module(f"tests.{app}.test_permissions").MATRIX
    covered = {row[0] for row in matrix}
    assert url_names(app) - covered == set()
    assert covered - url_names(app) == set()
