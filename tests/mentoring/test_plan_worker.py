"""Integration: plan PDFs rendered by a real `celery worker` against PostgreSQL and Redis."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from mentoring.models import PlanVersion
from tests.services import (
    celery_worker,
    process_env,
    redis_url,
    require_postgres_and_redis,
    run_django,
    wait_until,
)

from .plan_helpers import PRIVATE, submitted

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REQUEST = """
from django.db import transaction
from clinic.models import User
from mentoring.models import Participation
from mentoring.services.plan_versions import request_version
with transaction.atomic():
    version = request_version(
        User.objects.get(pk={user_id}), Participation.objects.get(pk={participation_id}), "zh-hans"
    )
print(version.pk)
"""
GENERATE_ALL = """
from django.db import transaction
from clinic.models import User
from cohorts.models import Cohort
from mentoring.services.plan_versions import generate_all
with transaction.atomic():
    batch, count = generate_all(User.objects.get(pk={user_id}), Cohort.objects.get(pk={cohort_id}))
print(count)
"""


def state_of(version_id):
    return PlanVersion.objects.get(pk=version_id).state


def test_real_worker_generates_a_plan_version(tmp_path):
    require_postgres_and_redis()
    participation, _rep, expert, _officer, _current = submitted()
    env = process_env(redis_url(), tmp_path)
    with celery_worker(env):
        code = REQUEST.format(user_id=expert.pk, participation_id=participation.pk)
        version_id = int(run_django(code, env))
        assert wait_until(lambda: state_of(version_id) == "ready", 60) is True
    version = PlanVersion.objects.get(pk=version_id)
    content = version.file.read()
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(BytesIO(content)).pages)
    assert (version.attempts, version.language, len(version.checksum)) == (1, "zh-hans", 64)
    assert (
        participation.company.legal_name.replace(" ", "") in text,
        "".join(PRIVATE.split()) in text,
    ) == (True, False)


def test_real_workers_generate_all_plans_of_a_cohort(tmp_path):
    require_postgres_and_redis()
    first = submitted()
    cohort = first[0].cohort
    for _ in range(2):
        other = submitted()
        type(other[0]).objects.filter(pk=other[0].pk).update(cohort=cohort)
    env = process_env(redis_url(), tmp_path)
    with celery_worker(env, concurrency=2):
        count = int(run_django(GENERATE_ALL.format(user_id=first[3].pk, cohort_id=cohort.pk), env))
        assert (
            wait_until(lambda: PlanVersion.objects.filter(state="ready").count() == 3, 90) is True
        )
    assert count == 3
