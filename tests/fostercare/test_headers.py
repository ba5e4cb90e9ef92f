"""Response headers: a strict Content-Security-Policy, no caching of personal data, and
production settings that pass Django's deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_every_page_has_a_strict_content_security_policy(client_for, unit_worker):
    response = client_for(unit_worker).get(reverse("families:family-list"))

    policy = directives(response)
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_login_page_has_the_policy_too(client):
    assert "default-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


# Every template a browser shows; the PDF templates, rendered by WeasyPrint only, carry
# their own styles.
PROJECT_TEMPLATES = sorted(
    path
    for folder in ("templates", "families", "training", "placements", "experts", "contracts")
    for path in (ROOT / folder).rglob("*.html")
    if "/pdf/" not in str(path) and not path.name.endswith("_pdf.html")
)


@pytest.mark.parametrize("template", PROJECT_TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_style(template):
    text = template.read_text()
    for forbidden in ("<style", " style=", " onclick=", " onload=", " onchange=", "hx-on"):
        assert forbidden not in text, (template.name, forbidden)
    for tag in text.split("<script")[1:]:
        assert " src=" in tag.split(">")[0], template.name


def test_pages_for_a_logged_in_user_are_not_stored(client_for, unit_worker):
    response = client_for(unit_worker).get(reverse("home"))

    assert "no-store" in response["Cache-Control"]


def test_documents_are_not_stored(client_for, admin_user, child_and_carer):
    child = child_and_carer["child"]
    response = client_for(admin_user).get(
        reverse("access-report-pdf", args=["placements.child", child.pk])
    )

    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/app.css")
    assert "no-store" not in response.get("Cache-Control", "")


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 10 + "Zq8#vR2!mW5@xL9$pN3^tY6&hJ1*cB4(dF7)gK0-sA2_eU5+iO8=",
    "ALLOWED_HOSTS": "sijaishuolto.example.fi",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_HTTPS_PROXY": "true",
}


def test_documented_production_settings_pass_the_deployment_check(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "fostercare.settings",
        "STATIC_ROOT": str(tmp_path),
        **PRODUCTION,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_docker_compose_defaults_are_the_documented_production_settings():
    yaml = pytest.importorskip("yaml")
    from tests.test_deployment import with_defaults

    environment = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["x-app"]["environment"]
    for name, value in PRODUCTION.items():
        if name in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}:
            continue
        assert with_defaults(str(environment[name])).lower() == value, name
