"""The national-scale benchmark of `make bench`: every main page beside the Django admin's
page for the same model, served as in production and measured with a real HTTP client.

1. The data set (``manage.py seed_scale``) is built once in its own database
   (``fostercare_bench``; ``…_<scale>`` at BENCH_SCALE below 1) and re-used while the
   database's comment says it holds the same sizes.
2. gunicorn serves the app with 2 workers, DEBUG off, static files through whitenoise, MFA
   off (MFA_REQUIRED=false: the bench logs in with a password only).
3. Each page is fetched BENCH_ROUNDS times by one client (p50, p95), taking turns round by
   round with the admin's page (both see the same load), and then by 10 clients
   at once (p50), logged in with a session cookie: a unit worker on the app's pages, the
   administrator on the admin's and on the access-log report, which is theirs.

4. Before the pages, the steering group's quarterly report of the contract of all members
   is made in the bench database (``manage.py shell``: its figures, then its PDF, as the
   Celery task makes them), after the occupancy history of the past 460 days is derived
   from the placements' dates (timed apart; the data set has no recorded history).

Targets (issue 11): p50 ≤ 150 ms (matching ≤ 300 ms, ≤ 300 KB), and at most 0.5× the
admin's p50; the quarterly report in under 60 s. A missed target is printed and makes the
run fail (exit 1).

    BENCH_SCALE=0.1 .venv/bin/python tests/benchmarks/national.py
    BENCH_PAGES="front page,contract" .venv/bin/python tests/benchmarks/national.py

BENCH_PAGES measures only the pages whose names contain one of its comma-separated words,
and skips the report (while working on a page; the README's figures are of whole runs).
"""

import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
ONLY = [word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]
CLIENTS = 10
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://fostercare:fostercare@127.0.0.1:5432")
DATABASE = "fostercare_bench" if SCALE == 1 else f"fostercare_bench_{str(SCALE).replace('.', '_')}"
DATABASE_URL = f"{SERVER}/{DATABASE}"
TARGET_MS, MATCHING_TARGET_MS, MATCHING_MAX_BYTES, ADMIN_RATIO = 150, 300, 300_000, 0.5
REPORT_TARGET_S = 60

# Run in the bench database by `manage.py shell -c`: the occupancy history, then the
# steering group's report of the latest invoiced quarter of the contract with the most
# members (300 at full scale), made as reports.rendering.report_render makes it (figures,
# then the PDF) but not stored, so the bench database keeps no report row or file.
REPORT_BUILD = """
import time
from datetime import timedelta
from django.db.models import Count
from django.utils import timezone, translation
from contracts.models import Contract, Invoice
from families import services as register
from reports.figures import report_tables
from reports.models import Report
from reports.rendering import report_pdf

started = time.perf_counter()
register.occupancy_backfill(first_day=timezone.localdate() - timedelta(days=460))
register.occupancy_record()
history = time.perf_counter() - started
contract = Contract.objects.annotate(n=Count("members")).order_by("-n", "pk").first()
year, quarter = (
    Invoice.objects.filter(contract=contract).order_by("-year", "-quarter")
    .values_list("year", "quarter").first()
)
report = Report(
    kind=Report.Kind.STEERING, contract=contract, year=year, quarter=quarter, language="fi"
)
started = time.perf_counter()
with translation.override("fi"):
    tables = report_tables(report)
figures = time.perf_counter() - started
started = time.perf_counter()
pdf = report_pdf(report, tables)
made = time.perf_counter() - started
print(
    f"REPORT members={contract.n} quarter=Q{quarter}/{year} history={history:.1f} "
    f"figures={figures:.1f} pdf={made:.1f} bytes={len(pdf)}"
)
"""


def django_env(**extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-key-not-secret-" + "x" * 30,
        "MFA_REQUIRED": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{SERVER}/{database}", "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=django_env(), check=True)


def ensure_data_set() -> None:
    """Build the data set unless the database already holds one of the same sizes."""
    marker = f"seed_scale --scale {SCALE}"
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"
    if exists:
        comment = psql(
            f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
            f"WHERE datname = '{DATABASE}'"
        )
        if comment == marker:
            print(f"Re-using {DATABASE} ({marker}).", flush=True)
            manage("migrate", "-v", "0")
            return
        psql(f"DROP DATABASE {DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {DATABASE}")
    started = time.monotonic()
    manage("migrate", "-v", "0")
    subprocess.run(
        [PYTHON, "manage.py", "seed_scale", "--scale", str(SCALE)],
        cwd=ROOT,
        env=django_env(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        check=True,
    )
    # the visibility map and statistics a production database has after autovacuum:
    # index-only scans (e.g. a family's room) need the first
    psql("VACUUM ANALYZE", DATABASE)
    psql(f"COMMENT ON DATABASE {DATABASE} IS '{marker}'")
    print(f"Data set built in {time.monotonic() - started:.0f} s.", flush=True)


def ids() -> dict:
    """The objects the pages show: a family, requests of one and three children …"""

    def one(sql):
        return psql(sql, DATABASE)

    return {
        "family": one("SELECT id FROM families_family ORDER BY id DESC LIMIT 1"),
        "provider": one("SELECT id FROM families_provider ORDER BY id DESC LIMIT 1"),
        "request": one(
            "SELECT placementrequest_id FROM placements_placementrequest_children c JOIN "
            "placements_placementrequest r ON r.id = c.placementrequest_id "
            "WHERE r.status IN ('submitted', 'in_search') GROUP BY placementrequest_id "
            "HAVING count(*) = 1 ORDER BY placementrequest_id DESC LIMIT 1"
        ),
        "siblings": one(
            "SELECT placementrequest_id FROM placements_placementrequest_children c JOIN "
            "placements_placementrequest r ON r.id = c.placementrequest_id "
            "WHERE r.status IN ('submitted', 'in_search') GROUP BY placementrequest_id "
            "HAVING count(*) = 3 ORDER BY placementrequest_id DESC LIMIT 1"
        ),
        "course": one(
            "SELECT course_id FROM training_enrolment GROUP BY course_id "
            "ORDER BY count(*) DESC, course_id DESC LIMIT 1"
        ),
        "contract": one("SELECT id FROM contracts_contract ORDER BY id DESC LIMIT 1"),
        "carer": one(
            "SELECT object_id FROM fostercare_accesslogentry WHERE content_type_id = "
            "(SELECT id FROM django_content_type WHERE app_label = 'families' AND "
            "model = 'carer') ORDER BY at DESC LIMIT 1"
        ),
        "carer_type": one(
            "SELECT id FROM django_content_type WHERE app_label = 'families' AND model = 'carer'"
        ),
        "carer_name": one("SELECT last_name FROM families_carer ORDER BY id DESC LIMIT 1"),
    }


def pages(o: dict) -> list[tuple[str, str, str]]:
    """(page, app URL, the admin's URL for the same model)."""
    fam, req = "/admin/families/family/", "/admin/placements/placementrequest/"
    approved, period = "?status__exact=approved", "start=2024-01-01&end=2026-12-31"
    name = urllib.parse.quote(o["carer_name"])
    log = "/admin/fostercare/accesslogentry/"
    return [
        ("family list", "/families/", fam),
        (
            "family list, filtered",
            "/families/?status=approved&kind=foster",
            f"{fam}{approved}&kind__exact=foster",
        ),
        ("family list, name search", "/families/?q=Virtanen", f"{fam}?q=Virtanen"),
        ("family list, ages 7 and 4", "/families/?ages=7%2C+4&status=approved", fam + approved),
        ("family detail", f"/families/{o['family']}/", f"{fam}{o['family']}/change/"),
        ("provider list", "/families/providers/", "/admin/families/provider/"),
        ("request list", "/placements/", req),
        ("request detail", f"/placements/{o['request']}/", f"{req}{o['request']}/change/"),
        ("matching, 1 child", f"/placements/{o['request']}/matching/", fam + approved),
        ("matching, 3 siblings", f"/placements/{o['siblings']}/matching/", fam + approved),
        ("vacancy board", "/placements/vacancies/", f"{fam}?status__exact=active"),
        ("inquiry list", "/training/inquiries/", "/admin/training/inquiry/"),
        ("course list", "/training/", "/admin/training/course/"),
        (
            "course page",
            f"/training/courses/{o['course']}/",
            f"/admin/training/course/{o['course']}/change/",
        ),
        (
            "contract, 300 members",
            f"/contracts/{o['contract']}/",
            f"/admin/contracts/contract/{o['contract']}/change/",
        ),
        ("invoice list", "/contracts/invoices/", "/admin/contracts/invoice/"),
        ("front page", "/", "/admin/"),
        (
            "access log, one person",
            f"/access-report/families.carer/{o['carer']}/?{period}",
            f"{log}?content_type__id__exact={o['carer_type']}&object_id={o['carer']}",
        ),
        ("access log, name search", f"/access-report/?q={name}", f"{log}?q={name}"),
    ]


class Client:
    """A browser's session: cookies, and a login through the login form."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(BASE + path, timeout=150) as response:
                if "/login/" in response.geturl() and "/login/" not in path:
                    # sent to the login page: not the page asked for (a miss, not a figure)
                    return 302, b""
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (TimeoutError, urllib.error.URLError, ConnectionError):
            # gunicorn's 120 s worker timeout, or the worker killed: a miss, not a crash
            return 0, b""

    def login(self, path: str, username: str) -> "Client":
        _, body = self.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": "demo"}
        ).encode()
        request = urllib.request.Request(BASE + path, data=data, headers={"Referer": BASE + path})
        self.opener.open(request, timeout=60).read()
        return self

    def clone(self) -> "Client":
        other = Client()
        for cookie in self.jar:
            other.jar.set_cookie(cookie)
        return other


@dataclass
class Measured:
    p50: float
    p95: float
    p50_concurrent: float
    size: int
    status: int


def _single(pairs: list[tuple[Client, str]]) -> list[list[float]]:
    """Each (client, path) fetched ROUNDS times by one client, the pages taking turns
    round by round, so that a page and the admin's see the same load from elsewhere."""
    times: list[list[float]] = [[] for _ in pairs]
    for _ in range(ROUNDS):
        for (client, path), page_times in zip(pairs, times, strict=True):
            started = time.perf_counter()
            client.get(path)
            page_times.append((time.perf_counter() - started) * 1000)
    return times


def _concurrent(client: Client, path: str, slow: bool) -> float:
    def timed(c: Client) -> float:
        started = time.perf_counter()
        c.get(path)
        return (time.perf_counter() - started) * 1000

    clients = [client.clone() for _ in range(CLIENTS)]
    # a page of seconds is fetched once per client: twice would take minutes to tell
    with ThreadPoolExecutor(CLIENTS) as pool:
        return statistics.median(pool.map(timed, clients * (1 if slow else 2)))


def measure(*pairs: tuple[Client, str]) -> list[Measured]:
    """The app's page and the admin's, measured side by side."""
    first = [client.get(path) for client, path in pairs]  # warm-up, and the page's size
    measured = []
    rounds = _single(list(pairs))
    for (client, path), (status, body), times in zip(pairs, first, rounds, strict=True):
        times.sort()
        p50 = statistics.median(times)
        measured.append(
            Measured(
                p50=p50,
                p95=times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                p50_concurrent=_concurrent(client, path, p50 > 2000),
                size=len(body),
                status=status,
            )
        )
    return measured


def serve() -> subprocess.Popen:
    manage("collectstatic", "--noinput", "-v", "0")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "fostercare.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{PORT}",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=django_env(),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/login/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def report_build() -> list[str]:
    """Make the quarterly report in the bench database; print its seconds; the misses."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", REPORT_BUILD],
        cwd=ROOT,
        env=django_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(row for row in result.stdout.splitlines() if row.startswith("REPORT "))
    figures = dict(field.split("=", 1) for field in line.split()[1:])
    seconds = float(figures["figures"]) + float(figures["pdf"])
    print(
        f"\nSteering group's quarterly report, {figures['members']} members, "
        f"{figures['quarter']}: {seconds:.1f} s (figures {figures['figures']} s, PDF "
        f"{figures['pdf']} s, {int(figures['bytes']) // 1000} KB); the occupancy history "
        f"of 460 days derived first in {figures['history']} s.",
        flush=True,
    )
    if seconds > REPORT_TARGET_S:
        return [f"quarterly report: {seconds:.1f} s over {REPORT_TARGET_S} s"]
    return []


def main() -> int:
    ensure_data_set()
    objects = ids()
    report_misses = [] if ONLY else report_build()
    server = serve()
    try:
        unit = Client().login("/login/", "unit")
        # the admin has no login form of its own: one login page for the whole site
        admin = Client().login("/login/", "admin")
        rows, misses = [], report_misses
        header = (
            f"| page | p50 ms | p95 ms | p50 at {CLIENTS} clients | size KB | admin p50 ms "
            f"| admin at {CLIENTS} | ratio |"
        )
        print(f"\nBENCH_SCALE={SCALE}, {ROUNDS} rounds\n\n{header}\n|" + " --- |" * 8, flush=True)
        for name, path, admin_path in pages(objects):
            if ONLY and not any(word in name for word in ONLY):
                continue
            # the per-person report is the administrators' (fostercare.selectors)
            app, adm = measure(
                (admin if name.startswith("access log") else unit, path), (admin, admin_path)
            )
            ratio = app.p50 / adm.p50 if adm.p50 else float("inf")
            row = (
                f"| {name} | {app.p50:.0f} | {app.p95:.0f} | {app.p50_concurrent:.0f} "
                f"| {app.size / 1000:.0f} | {adm.p50:.0f} | {adm.p50_concurrent:.0f} "
                f"| {ratio:.2f} |"
            )
            print(row, flush=True)
            rows.append(row)
            matching = name.startswith("matching")
            target = MATCHING_TARGET_MS if matching else TARGET_MS
            if app.status != 200 or adm.status != 200:
                misses.append(f"{name}: HTTP {app.status} (admin {adm.status})")
            if app.p50 > target:
                misses.append(f"{name}: p50 {app.p50:.0f} ms over {target} ms")
            if ratio > ADMIN_RATIO and not matching:
                misses.append(f"{name}: {ratio:.2f}× the admin's, over {ADMIN_RATIO}×")
            if matching and app.size > MATCHING_MAX_BYTES:
                misses.append(f"{name}: {app.size / 1000:.0f} KB over 300 KB")
        print("\nMissed targets:" if misses else "\nEvery target met.")
        for miss in misses:
            print(f"- {miss}")
        return 1 if misses else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
