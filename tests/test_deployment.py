"""The promises of the Docker deployment, read from docker-compose.yml and the Dockerfile.

No Docker engine is needed: the files are parsed, not run.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")
WEASYPRINT_LIBRARIES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0")


@pytest.fixture(scope="module")
def compose():
    yaml = pytest.importorskip("yaml")
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def with_defaults(value: str) -> str:
    """Replace ${NAME:-default} and ${NAME-default} by their defaults."""
    return re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", value)


def named_volumes(service: dict) -> set[str]:
    names = set()
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source = volume.split(":")[0] if ":" in volume else None
        else:
            source = volume.get("source") if volume.get("type", "volume") == "volume" else None
        if source and not source.startswith(("/", ".", "~", "$")):
            names.add(source)
    return names


def test_compose_defines_every_service(services):
    assert set(services) >= {"postgres", "redis", "migrate", "web", "worker", "beat"}


def test_compose_file_has_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_postgres_redis_and_web_have_healthchecks(services):
    for name in ("postgres", "redis", "web"):
        healthcheck = services[name].get("healthcheck", {})
        assert healthcheck.get("test"), f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"


def test_web_healthcheck_fetches_the_login_page(services):
    check = " ".join(services["web"]["healthcheck"]["test"])
    assert "urllib" in check
    assert "/login/" in check


def test_migrations_wait_for_a_healthy_database(services):
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "migrate" in services["migrate"]["command"]


def test_web_waits_for_migrations(services):
    depends_on = services["web"]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_worker_and_beat_wait_for_migrations(services):
    for name in ("worker", "beat"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name


def test_beat_is_never_scaled(services):
    beat = services["beat"]
    assert beat.get("deploy", {}).get("replicas", 1) <= 1
    assert beat.get("deploy", {}).get("mode", "replicated") == "replicated"
    assert beat.get("scale", 1) <= 1


def test_beat_keeps_its_schedule_on_a_volume_of_its_own(services):
    command = services["beat"]["command"]
    schedule = command[command.index("--schedule") + 1]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in services["beat"]["volumes"]}
    assert schedule.startswith("/var/lib/celery/")
    assert "/var/lib/celery" in mounts
    others = set().union(*(named_volumes(s) for n, s in services.items() if n != "beat"))
    assert mounts["/var/lib/celery"] not in others


def test_app_services_share_one_image_build(services):
    web = services["web"]
    assert web.get("build") and web.get("image")
    for name in APP_SERVICES:
        assert services[name].get("build") == web["build"], name
        assert services[name].get("image") == web["image"], name


def test_app_services_share_one_environment(services):
    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)


def test_app_environment_is_production_and_demands_the_secrets(services):
    environment = services["web"]["environment"]
    assert str(environment["DEBUG"]).lower() == "false"
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]
    assert environment["MEDIA_ROOT"] == "/app/media"


def test_web_and_worker_share_the_media_volume(services):
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"], name


def test_long_running_services_restart(services):
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert services[name].get("restart") == "unless-stopped", name


def test_every_named_volume_is_declared_at_top_level(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        missing = named_volumes(service) - declared
        assert not missing, f"{name} mounts undeclared volumes {missing}"


def test_no_service_uses_the_latest_tag(services):
    for name, service in services.items():
        image = with_defaults(service["image"]).split("@")[0]
        _, colon, tag = image.rpartition(":")
        assert colon and "/" not in tag, f"{name}: {image} has no tag, so it means latest"
        assert tag != "latest", f"{name}: {image}"


def test_dockerfile_installs_the_weasyprint_libraries(dockerfile):
    runs = [args for keyword, args in dockerfile if keyword == "RUN" and "apt-get" in args]
    words = {word for run in runs for word in run.split()}
    for library in (*WEASYPRINT_LIBRARIES, "fonts-dejavu-core", "gettext"):
        assert library in words, library
    assert "--no-install-recommends" in words


def test_dockerfile_installs_the_runtime_lock(dockerfile):
    runs = [args for keyword, args in dockerfile if keyword == "RUN"]
    assert any("pip install" in run and "-r requirements.lock" in run for run in runs)
    assert not any("requirements-dev.lock" in args for _, args in dockerfile)


def test_dockerfile_keeps_the_build_secret_out_of_the_image(dockerfile):
    for keyword, args in dockerfile:
        if keyword in ("ENV", "ARG"):
            assert "SECRET_KEY" not in args


def test_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = [args for keyword, args in dockerfile if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_dockerignore_keeps_local_secrets_and_state_out():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "media", "staticfiles"} <= ignored
