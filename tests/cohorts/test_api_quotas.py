"""Quota rules through the API: officers add, change and remove them through the page's form and
service (validation, the stale check, read-only once the proposal is with the lead); everyone
else gets 404."""

import pytest

from clinic import roles
from clinic.models import AuditLog
from cohorts.forms_selection import QuotaRuleForm
from cohorts.models import QuotaRule
from cohorts.services import proposals
from tests.api_helpers import assert_queries_do_not_grow, ids, token_client
from tests.factories import make_user

from .selection_helpers import applicant, rows_of, rule, selection_cohort

pytestmark = pytest.mark.django_db
URL = "/api/v1/quota-rules/"


def test_officer_adds_a_rule_audited_and_reads_the_conflict():
    cohort = selection_cohort(capacity=3)
    for score in (5, 4, 3, 2):
        applicant(cohort, score, area="water")
    client, _token = token_client(make_user(roles.OFFICER), "Quota sync")
    body = {"cohort": cohort.pk, "dimension": "green_area", "value": "water", "maximum": 2}
    created = client.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["value"], created.json()["maximum"]) == ("water", 2)
    assert list(QuotaRule.objects.values_list("value", "maximum")) == [("water", 2)]
    record = AuditLog.objects.for_object(cohort).get(action="quota_rule_added")
    assert record.via == "API token “Quota sync”"
    feasible = client.get(f"{URL}feasibility/?cohort={cohort.pk}").json()
    assert feasible["candidates"] == 4 and feasible["editable"] is True
    assert any("Water: at most 2" in problem for problem in feasible["problems"])


def test_the_forms_rules_hold_a_bound_a_value_and_one_rule_per_value():
    cohort = selection_cohort()
    rule(cohort, "green_area", "water", maximum=2)
    client, _token = token_client(make_user(roles.OFFICER))
    no_bound = client.post(URL, {"cohort": cohort.pk, "dimension": "size_class", "value": "micro"})
    assert (no_bound.status_code, list(no_bound.json()["fields"])) == (400, ["minimum"])
    no_value = client.post(URL, {"cohort": cohort.pk, "dimension": "size_class", "minimum": 1})
    assert (no_value.status_code, list(no_value.json()["fields"])) == (400, ["value"])
    again = {"cohort": cohort.pk, "dimension": "green_area", "value": "water", "minimum": 1}
    twice = client.post(URL, again, format="json")
    assert (twice.status_code, twice.json()["code"]) == (400, "invalid")
    assert "non_field_errors" in twice.json()["fields"]
    assert QuotaRule.objects.count() == 1


def test_change_with_a_stale_stamp_is_409_and_writes_nothing():
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    client, _token = token_client(make_user(roles.OFFICER))
    read = client.get(f"{URL}{water.pk}/").json()
    page_form = QuotaRuleForm(instance=water)
    assert read["stamp"] == page_form.stamp  # the same stamp as the page's form
    changed = client.patch(f"{URL}{water.pk}/", {"maximum": 3, "stamp": read["stamp"]})
    assert (changed.status_code, changed.json()["maximum"]) == (200, 3)
    stale = client.patch(f"{URL}{water.pk}/", {"maximum": 1, "stamp": read["stamp"]})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale")
    assert QuotaRule.objects.get(pk=water.pk).maximum == 3


def test_rules_are_read_only_once_the_proposal_is_with_the_lead():
    cohort = selection_cohort()
    for score in (5, 4):
        applicant(cohort, score)
    officer = make_user(roles.OFFICER)
    water = rule(cohort, "green_area", "water", maximum=2)
    proposal = proposals.start_proposal(officer, cohort)
    proposals.save_proposal(officer, proposal, proposal.version, rows_of(proposal), submit=True)
    lead, _token = token_client(make_user(roles.LEAD))
    assert ids(lead.get(f"{URL}?cohort={cohort.pk}")) == [water.pk]
    assert lead.get(f"{URL}feasibility/?cohort={cohort.pk}").json()["editable"] is False
    client, _token = token_client(officer)
    refused = client.patch(f"{URL}{water.pk}/", {"maximum": 3}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "wrong_state")
    assert client.delete(f"{URL}{water.pk}/").status_code == 409
    body = {"cohort": cohort.pk, "dimension": "size_class", "value": "micro", "minimum": 1}
    assert client.post(URL, body, format="json").status_code == 409
    assert list(QuotaRule.objects.values_list("pk", "maximum")) == [(water.pk, 2)]


def test_officer_removes_a_rule_once():
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    client, _token = token_client(make_user(roles.OFFICER))
    assert [client.delete(f"{URL}{water.pk}/").status_code for _ in range(2)] == [204, 404]
    assert AuditLog.objects.for_object(cohort).filter(action="quota_rule_removed").count() == 1


@pytest.mark.parametrize("role", [roles.SME, roles.EXPERT, roles.REVIEWER])
def test_quota_rules_are_404_for_everyone_but_officers(role):
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    client, _token = token_client(make_user(role))
    assert ids(client.get(URL)) == []
    assert client.get(f"{URL}{water.pk}/").status_code == 404
    assert client.patch(f"{URL}{water.pk}/", {"maximum": 9}, format="json").status_code == 404
    assert client.delete(f"{URL}{water.pk}/").status_code == 404
    body = {"cohort": cohort.pk, "dimension": "size_class", "value": "micro", "minimum": 1}
    assert client.post(URL, body, format="json").status_code == 404
    assert client.get(f"{URL}feasibility/?cohort={cohort.pk}").status_code == 404
    assert list(QuotaRule.objects.values_list("pk", "maximum")) == [(water.pk, 2)]


def test_quota_rule_list_queries_do_not_grow_with_rows():
    cohort = selection_cohort()
    client, _token = token_client(make_user(roles.OFFICER))
    rule(cohort, "green_area", "water", maximum=2)

    def grow():
        for region in ("Beijing", "Shanghai", "Tianjin", "Hebei"):
            rule(cohort, "region", region, minimum=1)

    assert_queries_do_not_grow(client, URL, grow, rows=5)
