"""Experts and mentor assignments through the API: officers list experts with filters, assign and
end assignments through the matching service; an expert reads their own profile only."""

import pytest

from clinic import roles
from clinic.models import AuditLog
from mentoring.models import Assignment
from tests.api_helpers import assert_queries_do_not_grow, ids, token_client
from tests.factories import make_user

from .helpers import assigned, expert, officer, participant

pytestmark = pytest.mark.django_db
EXPERTS = "/api/v1/experts/"
ASSIGNMENTS = "/api/v1/assignments/"


def test_officer_lists_experts_with_filters_and_search():
    water = expert(areas=["water"], languages=["zh-hans"], username="wangwei", capacity=1)
    solar = expert(areas=["energy"], languages=["en"], username="jsmith")
    client, _token = token_client(officer())
    assert sorted(ids(client.get(EXPERTS))) == sorted([water.pk, solar.pk])
    assert ids(client.get(f"{EXPERTS}?tech_area=water")) == [water.pk]
    assert ids(client.get(f"{EXPERTS}?language=en")) == [solar.pk]
    assert ids(client.get(f"{EXPERTS}?search=wangw")) == [water.pk]
    assigned(expert_user=water)
    assert ids(client.get(f"{EXPERTS}?available=true")) == [solar.pk]
    assert ids(client.get(f"{EXPERTS}?available=false")) == [water.pk]
    row = client.get(f"{EXPERTS}{water.pk}/").json()
    assert (row["active_assignments"], row["profile"]["tech_areas"]) == (1, ["water"])


def test_expert_reads_only_their_own_profile():
    me, other = expert(areas=["water"]), expert()
    client, _token = token_client(me)
    assert ids(client.get(EXPERTS)) == [me.pk]
    assert client.get(f"{EXPERTS}me/").json()["id"] == me.pk
    assert client.get(f"{EXPERTS}{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER])
def test_experts_and_assignments_are_404_for_others(role):
    one = expert()
    assignment = Assignment.objects.get(expert=assigned(expert_user=one)[2])
    client, _token = token_client(make_user(role))
    assert ids(client.get(EXPERTS)) == []
    assert client.get(f"{EXPERTS}{one.pk}/").status_code == 404
    assert client.get(f"{EXPERTS}me/").status_code == 404
    assert ids(client.get(ASSIGNMENTS)) == []
    assert client.post(f"{ASSIGNMENTS}{assignment.pk}/end/").status_code == 404
    body = {"participation": assignment.participation_id, "expert": one.pk}
    assert client.post(ASSIGNMENTS, body, format="json").status_code == 404
    assert Assignment.objects.get(pk=assignment.pk).ended_at is None


def test_officer_assigns_lead_and_support_and_ends_an_assignment_once():
    participation, _representative = participant()
    lead_expert, support = expert(), expert()
    client, _token = token_client(officer(), "Matching sync")
    for user, role in ((lead_expert, "lead"), (support, "support")):
        body = {"participation": participation.pk, "expert": user.pk, "role": role}
        created = client.post(ASSIGNMENTS, body, format="json")
        assert (created.status_code, created.json()["role"]) == (201, role)
    record = AuditLog.objects.for_object(participation).filter(action="expert_assigned").first()
    assert record.via == "API token “Matching sync”"
    support_row = Assignment.objects.get(expert=support)
    ended = [client.post(f"{ASSIGNMENTS}{support_row.pk}/end/") for _ in range(2)]
    assert [a.status_code for a in ended] == [200, 200]
    assert ended[0].json()["ended_at"] == ended[1].json()["ended_at"] is not None
    unassigned = AuditLog.objects.for_object(participation).filter(action="expert_unassigned")
    assert unassigned.count() == 1
    assert ids(client.get(f"{ASSIGNMENTS}?active=true")) == [
        Assignment.objects.get(expert=lead_expert).pk
    ]


def test_an_over_capacity_or_conflicted_expert_is_refused_with_a_problem():
    full = expert(capacity=0)
    participation, _representative = participant()
    conflicted = expert(conflicts=[participation.company])
    client, _token = token_client(officer())
    for user in (full, conflicted):
        body = {"participation": participation.pk, "expert": user.pk}
        refused = client.post(ASSIGNMENTS, body, format="json")
        assert refused.status_code in (400, 409)
        assert refused.json()["message"]
    assert not Assignment.objects.exists()
    not_an_expert = make_user(roles.SME)
    body = {"participation": participation.pk, "expert": not_an_expert.pk}
    assert client.post(ASSIGNMENTS, body, format="json").status_code == 404


def test_expert_sees_their_own_assignments_only():
    participation, _rep, mine, _officer = assigned()
    _other, _rep2, someone, _officer2 = assigned()
    client, _token = token_client(mine)
    assert ids(client.get(ASSIGNMENTS)) == [Assignment.objects.get(expert=mine).pk]
    own = Assignment.objects.get(expert=mine)
    assert client.post(f"{ASSIGNMENTS}{own.pk}/end/").status_code == 403
    assert Assignment.objects.get(pk=own.pk).ended_at is None
    assert participation.pk == own.participation_id
    theirs = Assignment.objects.get(expert=someone)
    assert client.get(f"{ASSIGNMENTS}{theirs.pk}/").status_code == 404
    assert client.post(f"{ASSIGNMENTS}{theirs.pk}/end/").status_code == 404


def test_expert_list_queries_do_not_grow_with_rows():
    client, _token = token_client(officer())
    assigned()
    assert_queries_do_not_grow(client, EXPERTS, lambda: [assigned() for _ in range(4)], rows=5)
