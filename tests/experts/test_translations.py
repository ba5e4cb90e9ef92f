"""Django merges the apps' catalogues, the project's and then the app listed first
winning. A string the experts catalogue shares with another must read as it does without
us, or it would change that app's pages (contracts' "Quarter") or read differently on
ours than we wrote (training's "Withdrawn" is an inquiry's, not a consent's)."""

import gettext
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _catalogue(po: Path, tmp_path: Path) -> dict:
    mo = tmp_path / f"{po.parts[-5]}.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
    with mo.open("rb") as f:
        return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k and v}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_strings_shared_with_other_catalogues_read_as_without_us(lang, tmp_path):
    po = f"locale/{lang}/LC_MESSAGES/django.po"
    ours = _catalogue(ROOT / "experts" / po, tmp_path)
    others = [ROOT / po] + [
        ROOT / app / po
        for app in settings.INSTALLED_APPS
        if app != "experts" and (ROOT / app / po).exists()
    ]
    without_us: dict = {}
    for path in others:  # in order of precedence: the first one holding a string wins
        for key, value in _catalogue(path, tmp_path).items():
            without_us.setdefault(key, value)
    differing = [
        (key, ours[key], without_us[key])
        for key in ours.keys() & without_us.keys()
        if ours[key] != without_us[key]
    ]
    assert differing == []
