"""Media on S3-compatible object storage (django-storages), against moto's S3 server started by
the test: files land in the private bucket and downloads still pass our permission checks."""

import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from clinic import roles
from mentoring.models import PlanVersion
from mentoring.services import plan_versions
from tests.factories import make_user
from tests.mentoring.plan_helpers import submitted
from tests.services import free_port, port_open, wait_until

BUCKET = "clinic-media"
KEYS = {"access_key": "testing-key", "secret_key": "testing-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_until(lambda: port_open(port), 30) is True
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_media(s3_endpoint):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": "us-east-1",
            "default_acl": "private",
            "file_overwrite": False,
            **KEYS,
        },
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield client


def rendered_plan(capture_on_commit):
    """A plan version rendered (in-process) into the current media storage, and its expert."""
    participation, _rep, expert, _officer, _current = submitted()
    with capture_on_commit(execute=True):
        version = plan_versions.request_version(expert, participation)
    return PlanVersion.objects.get(pk=version.pk), expert


@pytest.mark.django_db
def test_plan_pdf_is_stored_in_the_private_bucket_and_downloaded_through_the_view(
    s3_media, client, django_capture_on_commit_callbacks
):
    version, expert = rendered_plan(django_capture_on_commit_callbacks)
    stored = s3_media.get_object(Bucket=BUCKET, Key=version.file.name)["Body"].read()
    grants = s3_media.get_object_acl(Bucket=BUCKET, Key=version.file.name)["Grants"]
    client.force_login(expert)
    response = client.get(reverse("mentoring:version_download", args=[version.pk]))
    downloaded = b"".join(response.streaming_content)
    assert (response.status_code, downloaded, stored[:5]) == (200, stored, b"%PDF-")
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]


@pytest.mark.django_db
def test_plan_pdf_in_the_bucket_is_not_found_by_an_sme_of_another_company(
    s3_media, client, django_capture_on_commit_callbacks
):
    version, _expert = rendered_plan(django_capture_on_commit_callbacks)
    client.force_login(make_user(roles.SME))
    response = client.get(reverse("mentoring:version_download", args=[version.pk]))
    assert response.status_code == 404


def test_s3_bucket_setting_selects_the_s3_storage():
    from .test_project import manage

    result = manage(
        "shell",
        "-c",
        'from django.core.files.storage import storages; s = storages["default"]; '
        "print(type(s).__name__, s.bucket_name, s.default_acl)",
        S3_BUCKET="clinic-media",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
    )
    assert (result.returncode, result.stdout.splitlines()[-1]) == (
        0,
        "S3Storage clinic-media private",
    )
