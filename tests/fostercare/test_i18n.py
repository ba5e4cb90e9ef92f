"""Finnish first: every string is translated into Finnish and Swedish, Finnish is the default."""

import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run makemessages on a copy of the source, so strings not yet extracted count too."""
    copy = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns(".venv", ".git", "staticfiles", "media", "__pycache__", "*.mo")
    for item in ROOT.iterdir():
        if item.name in {".venv", ".git", "staticfiles", "media", "node_modules"}:
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=ignore)
        else:
            shutil.copy2(item, copy / item.name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "fi",
            "-l",
            "sv",
            "--ignore=tests",
            "--no-obsolete",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "SECRET_KEY": "makemessages"},
    )
    return sorted(copy.glob("**/locale/*/LC_MESSAGES/django.po"))


def _problems(po_file: Path) -> list[str]:
    """Untranslated or fuzzy entries, as msgattrib reports them."""
    out = []
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po_file)],
            capture_output=True,
            text=True,
            check=True,
        )
        out += [line for line in result.stdout.splitlines() if line.startswith("msgid ")][1:]
    return out


def test_every_string_is_translated_into_finnish_and_swedish(fresh_catalogues):
    assert {p.parts[-3] for p in fresh_catalogues} >= {"fi", "sv"}
    problems = {str(p.relative_to(p.parents[4])): _problems(p) for p in fresh_catalogues}
    problems = {path: entries for path, entries in problems.items() if entries}
    assert not problems, f"untranslated or fuzzy: {problems}"


def test_finnish_is_the_default_language(client, unit_worker):
    client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    client.force_login(unit_worker)

    response = client.get(reverse("families:family-list"))

    assert '<html lang="fi">' in response.content.decode()
    assert "Perheet" in response.content.decode()


def test_dates_and_numbers_are_in_finnish_format():
    template = Template("{{ day|date:'SHORT_DATE_FORMAT' }} {{ money }} {{ big }}")
    with translation.override("fi"):
        text = template.render(
            Context({"day": date(2026, 3, 5), "money": Decimal("1234.50"), "big": 19404})
        )
    assert text == "5.3.2026 1\xa0234,50 19\xa0404"
