"""No URL, query parameter or form field of the project answers a server error to any input.

Every URL pattern is resolved with real ids of a seeded world (and with hostile ids), fetched
as every role with hostile query parameters, and every form found on the pages is posted with
hostile values in each field (each request rolled back). A 4xx or a page with a form error is fine.
"""

import pytest

from tests import hostile, hostile_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "sme", "reviewer", "expert", "officer", "lead", "partner"]


@pytest.fixture
def world():
    return hostile_world.world()


def test_world_covers_every_url_pattern(world):
    names = [name for name, _path, _hostile in hostile.url_cases(world)]
    assert len(names) == len(set(names)) > 100


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_hostile_query_parameters_without_a_server_error(client, world, role):
    walker = hostile.Walker(client, world.users[role])
    for _name, path, hostile_paths in hostile.url_cases(world):
        walker.get_hostile(path)
        for bad_path in hostile_paths:
            walker.send("get", bad_path)
    assert walker.failures == []


@pytest.mark.parametrize("role", ROLES)
def test_every_form_answers_hostile_values_without_a_server_error(client, world, role):
    cases = list(hostile.url_cases(world))
    walker = hostile.Walker(client, world.users[role])
    forms = walker.forms_by_action([path for _name, path, _bad in cases])
    for _name, path, hostile_paths in cases:
        walker.post_hostile(path, forms.get(path, []))
        for bad_path in hostile_paths:
            walker.send("post", bad_path)
    assert walker.failures == []
