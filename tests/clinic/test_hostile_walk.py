"""No URL, query parameter or form field of the project answers a server error to any input.

Every URL pattern is resolved with real ids of a seeded world (and with hostile ids), fetched
as every role with hostile query parameters, and every form found on the pages is posted with
hostile values in each field (each request rolled back). A 4xx or a page with a form error is fine.

The world is built once for the module, inside a transaction rolled back at its end (each test
and each request runs in a savepoint of it). How the walk samples: see tests/hostile.py; the lead
(a senior officer) samples the pages and forms the officer's walk sends in full (``INCLUDES``).
"""

import pytest
from django.db import transaction
from django.test import override_settings

from tests import hostile, hostile_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "sme", "reviewer", "expert", "officer", "lead", "partner"]

INCLUDES = {"lead": "officer"}  # the lead samples what the officer's walk sends in full


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from clinic.celery import app

    media = tmp_path_factory.mktemp("hostile-media")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = hostile_world.world()
            built.media = media
            yield built
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _world_media(_eager_celery_and_private_media, settings, world):
    """The world's files (plan PDF, evidence) stay where the module's world put them."""
    settings.MEDIA_ROOT = world.media


@pytest.fixture(scope="module")
def coverage(world, django_db_blocker):
    """{role: what the role it includes walks in full}, worked out once per test process."""
    from django.test import Client

    found = {}

    def of(role):
        if role not in found:
            with django_db_blocker.unblock():
                walker = hostile.Walker(Client(), world.users[INCLUDES[role]])
                found[role] = walker.coverage([path for _n, path, _b in hostile.url_cases(world)])
        return found[role]

    return of


def walker_for(client, world, role, coverage):
    covered = coverage(role) if role in INCLUDES else None
    return hostile.Walker(client, world.users[role], turn=ROLES.index(role), covered=covered)


def test_world_covers_every_url_pattern(world):
    names = [name for name, _path, _hostile in hostile.url_cases(world)]
    assert len(names) == len(set(names)) > 100


@pytest.mark.parametrize("role", ROLES)
def test_every_form_answers_hostile_values_without_a_server_error(client, world, role, coverage):
    cases = list(hostile.url_cases(world))
    walker = walker_for(client, world, role, coverage)
    forms = walker.forms_by_action([path for _name, path, _bad in cases])
    for index, (_name, path, hostile_paths) in enumerate(cases):
        walker.post_hostile(path, forms.get(path, []), hostile_paths, index)
    assert walker.failures == []


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_hostile_query_parameters_without_a_server_error(
    client, world, role, coverage
):
    walker = walker_for(client, world, role, coverage)
    for index, (_name, path, hostile_paths) in enumerate(hostile.url_cases(world)):
        walker.get_hostile(path, hostile_paths, index)
    assert walker.failures == []
