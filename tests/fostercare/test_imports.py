"""Admin imports: large files in a Celery job with a result page, previews' files in the
media storage and deleted, stale file names answered with a message (fostercare.imports)."""

import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from fostercare import imports
from fostercare.models import ImportJob, PopulationFigure
from fostercare.roles import Role
from tests.fostercare.factories import MemberOrganisationFactory, user_with_role

IMPORT_URL = "admin:fostercare_populationfigure_import"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_ROWS = 3


def population_csv(organisations, years=range(2000, 2005), bad_row=None) -> str:
    lines = ["organisation_code,year,population,source"]
    for organisation in organisations:
        for year in years:
            lines.append(f"{organisation.code},{year},{1000 + year},Tilastokeskus")
    if bad_row is not None:
        lines.insert(bad_row, f"{organisations[0].code},1999,12x,Tilastokeskus")
    return "\n".join(lines) + "\n"


def upload(client, content: str, url_name=IMPORT_URL, name="population.csv"):
    return client.post(
        reverse(url_name),
        {
            "format": "0",  # CSV
            "import_file": SimpleUploadedFile(name, content.encode(), content_type="text/csv"),
            "resource": "0",
        },
    )


def preview_files() -> list[str]:
    try:
        return default_storage.listdir(imports.PREVIEW_FOLDER)[1]
    except FileNotFoundError:
        return []


def test_a_previewed_file_waits_in_the_media_storage_and_is_deleted_by_the_confirmation(
    client_for, admin_user, kemi_org
):
    client = client_for(admin_user)

    response = upload(client, population_csv([kemi_org], years=[2024, 2025]))

    assert response.status_code == 200
    confirm = response.context["confirm_form"].initial
    assert preview_files() == [confirm["import_file_name"]]
    client.post(reverse("admin:fostercare_populationfigure_process_import"), confirm)
    assert PopulationFigure.objects.count() == 2
    assert preview_files() == []


@pytest.mark.parametrize("name", ["0" * 32, "../../../../etc/passwd", "", "x" * 300])
def test_a_stale_or_forged_file_name_is_a_message_and_changes_nothing(
    name, client_for, admin_user, kemi_org
):
    response = client_for(admin_user).post(
        reverse("admin:fostercare_populationfigure_process_import"),
        {"import_file_name": name, "original_file_name": "population.csv", "format": "0"},
        follow=True,
    )

    assert response.status_code == 200
    assert "The uploaded file is no longer kept" in response.content.decode()
    assert not PopulationFigure.objects.exists()


@pytest.mark.usefixtures("small_threshold")
def test_a_large_file_becomes_a_job_that_imports_every_row_through_the_resource(
    client_for, admin_user, kemi_org, tornio_org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = upload(client_for(admin_user), population_csv([kemi_org, tornio_org]))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:fostercare_importjob_change", args=[job.pk])
    assert len(queued) == 1  # the worker's task, once the upload is committed
    assert (job.status, job.total_rows, job.user) == ("queued", 10, admin_user)
    assert default_storage.exists(job.file.name)
    assert not PopulationFigure.objects.exists()

    imports.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.counts == {"new": 10, "update": 0, "skip": 0, "errors": 0}
    assert PopulationFigure.objects.count() == 10
    assert not job.file and not default_storage.listdir("imports")[1]
    page = client_for(admin_user).get(response.url)
    assert "New: 10. Changed: 0. Unchanged: 0." in page.content.decode()
    # run twice, the job is left as it is
    assert imports.import_job_run(job_id=job.pk) is None


@pytest.mark.usefixtures("small_threshold")
def test_a_job_with_a_bad_row_imports_nothing_and_names_the_row_and_column_in_finnish(
    client_for, admin_user, kemi_org
):
    client = client_for(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    with translation.override("fi"):
        upload(client, population_csv([kemi_org], bad_row=3))
    job = ImportJob.objects.get()
    assert job.language == "fi"

    imports.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not PopulationFigure.objects.exists()  # all rows or none
    assert job.errors == [
        {
            "row": 3,
            "column": "population",
            "message": "Sarake ”population”: ”12x” – anna kokonaisluku, esimerkiksi 1250.",
        }
    ]
    assert not job.file


@pytest.mark.usefixtures("small_threshold")
def test_the_job_page_shows_progress_while_it_runs_and_only_to_its_own_user(
    client_for, admin_user, kemi_org, django_assert_num_queries
):
    upload(client_for(admin_user), population_csv([kemi_org]))
    job = ImportJob.objects.get()
    url = reverse("admin:fostercare_importjob_change", args=[job.pk])
    other_admin = user_with_role(Role.ADMINISTRATOR, "other-admin", is_staff=True)

    page = client_for(admin_user).get(url)

    assert "0 of 5 rows read." in page.content.decode()
    assert 'data-refresh="3000"' in page.content.decode()
    assert client_for(other_admin).get(url).status_code == 404
    assert client_for(admin_user).get(url.replace(str(job.pk), "abc")).status_code == 404


def test_the_prune_task_deletes_old_previews_and_marks_a_job_whose_worker_stopped(
    client_for, admin_user, kemi_org, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 3
    client = client_for(admin_user)
    upload(client, population_csv([kemi_org]))  # a job, never run
    settings.IMPORT_BACKGROUND_ROWS = 300
    upload(client, population_csv([kemi_org]))  # a preview, never confirmed
    job = ImportJob.objects.get()
    (name,) = preview_files()
    old = time.time() - 7 * 3600
    os.utime(default_storage.path(f"{imports.PREVIEW_FOLDER}/{name}"), (old, old))
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=7))

    from fostercare.tasks import import_files_prune

    assert import_files_prune() == 2

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "stopped before it ended" in job.errors[0]["message"]
    assert preview_files() == [] and not job.file
    assert import_files_prune() == 0


def test_a_recent_preview_is_kept_by_the_prune_task(client_for, admin_user, kemi_org):
    upload(client_for(admin_user), population_csv([kemi_org]))

    from fostercare.tasks import import_files_prune

    assert import_files_prune() == 0
    assert len(preview_files()) == 1


@pytest.mark.usefixtures("small_threshold")
def test_a_file_that_cannot_be_read_is_a_failed_job_with_a_message(
    client_for, admin_user, kemi_org
):
    upload(client_for(admin_user), population_csv([kemi_org]))
    job = ImportJob.objects.get()
    default_storage.delete(job.file.name)

    imports.import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["message"].startswith("The file could not be read")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_thousand_population_rows_through_a_real_worker_while_the_request_returns_at_once(
    client_for, admin_user
):
    from fostercare.celery import app as project_app
    from tests.celery_worker import real_worker

    organisations = [MemberOrganisationFactory() for _ in range(20)]
    content = population_csv(organisations, years=range(1980, 2030))  # 20 × 50 rows
    client = client_for(admin_user)

    with real_worker("imports", MEDIA_ROOT=str(default_storage.location)) as worker:
        # a job that does not exist: the worker is up once it answers
        assert worker.send_task("fostercare.tasks.import_job_run", args=[0]).get(timeout=90) is None
        worker.set_current()  # the upload's task goes to this worker's queue
        try:
            started = time.monotonic()
            response = upload(client, content)
            answered_in = time.monotonic() - started
        finally:
            project_app.set_current()
        job = ImportJob.objects.get()
        assert response.status_code == 302
        assert job.total_rows == 1000
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.finished:
                break
            time.sleep(0.5)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.counts["new"] == 1000
    assert PopulationFigure.objects.count() == 1000
    assert not job.file
    print(f"upload answered in {answered_in:.2f} s; worker took {job.finished_at - job.started_at}")
    assert answered_in < 2
