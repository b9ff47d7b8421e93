"""Pages of the selection: quota rules, the proposal (edit, stale edit, approval through the flow
node), the SME's place, the roster and its CSV; query-count guards; the cohort's questionnaire
version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clinic import roles
from clinic.services.ipaudit import questionnaire_for
from cohorts import flows
from cohorts.forms import CohortForm
from cohorts.models import Application, QuotaRule, SelectionProposal
from cohorts.services import confirmation, proposals
from tests.factories import make_user, published_version
from tests.forwarding import task_page

from .selection_helpers import applicant, approved, rows_of, rule, selection_cohort, staff

pytestmark = pytest.mark.django_db


def form_data(proposal, overrides=None):
    """The edit form as posted, with ``overrides`` {application id: (outcome, position,
    reason)}."""
    overrides = overrides or {}
    data = {"version": proposal.version}
    for entry in proposal.entries.all():
        outcome, position, reason = overrides.get(
            entry.application_id, (entry.outcome, entry.position, entry.reason)
        )
        data[f"outcome-{entry.pk}"] = outcome
        data[f"position-{entry.pk}"] = position or ""
        data[f"reason-{entry.pk}"] = reason
    return data


def test_quota_rules_page_adds_a_rule_and_names_conflicts(client):
    cohort = selection_cohort(capacity=3)
    for score in (5, 4, 3, 2):
        applicant(cohort, score, area="water")
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:quota_rules", args=[cohort.pk])
    response = client.post(url, {"dimension": "green_area", "area": "water", "maximum": "2"})
    assert response.status_code == 302
    assert list(QuotaRule.objects.values_list("value", "maximum")) == [("water", 2)]
    page = client.get(url).content.decode()
    assert "These quota rules cannot all be met" in page
    assert "“Water: at most 2”" in page


def test_quota_rule_without_a_bound_is_refused(client):
    cohort = selection_cohort()
    client.force_login(make_user(roles.OFFICER))
    response = client.post(
        reverse("cohorts:quota_rules", args=[cohort.pk]),
        {"dimension": "size_class", "size": "micro"},
    )
    assert response.status_code == 200
    assert QuotaRule.objects.count() == 0


def test_selection_pages_are_hidden_from_smes(client):
    cohort = selection_cohort()
    _application, representative = applicant(cohort, 5)
    client.force_login(representative)
    for name in ("quota_rules", "proposal", "roster", "roster_csv"):
        assert client.get(reverse(f"cohorts:{name}", args=[cohort.pk])).status_code == 404


def test_officer_starts_edits_and_submits_through_the_page(client):
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2)]
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    url = reverse("cohorts:proposal", args=[cohort.pk])
    assert "The suggestion selects 3" in client.get(url).content.decode()
    client.post(url, {"action": "start"})
    proposal = SelectionProposal.objects.get(cohort=cohort)
    swap = {
        apps[2].pk: ("waitlisted", 1, ""),
        apps[3].pk: ("selected", "", "Strong export plan."),
    }
    response = client.post(url, {**form_data(proposal, swap), "action": "submit"})
    assert response.status_code == 422
    assert "Give a reason for deviating from the suggestion." in response.content.decode()
    assert "Strong export plan." in response.content.decode()
    swap[apps[2].pk] = ("waitlisted", 1, "Missed the interview.")
    response = client.post(url, {**form_data(proposal, swap), "action": "submit"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.proposed_by) == ("submitted", officer)


def test_stale_edit_shows_a_message_and_keeps_what_the_user_typed(client):
    cohort = selection_cohort()
    apps = [applicant(cohort, s)[0] for s in (5, 4, 3, 2, 1)]
    officer, officer2, _lead = staff()
    proposal = proposals.start_proposal(officer, cohort)
    opened = form_data(proposal)  # both officers open the page at version 1
    rows = rows_of(proposal)
    entry = proposal.entries.get(application=apps[4])
    rows[entry.pk] = ("rejected", None, "Saved first.")
    proposals.save_proposal(officer, proposal, 1, rows)
    client.force_login(officer2)
    typed = {**opened, f"reason-{entry.pk}": "My careful reasoning", "action": "save"}
    response = client.post(reverse("cohorts:proposal", args=[cohort.pk]), typed)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this proposal meanwhile." in page
    assert "My careful reasoning" in page
    assert 'name="version" value="2"' in page
    proposal.refresh_from_db()
    assert proposal.entries.get(pk=entry.pk).reason == "Saved first."


def test_approval_task_is_hidden_from_and_refused_to_the_proposer_and_done_by_another_lead(
    client,
):
    cohort = selection_cohort()
    for score in (5, 4, 3, 2):
        applicant(cohort, score)
    proposer, other_lead = make_user(roles.LEAD), make_user(roles.LEAD)
    proposal = proposals.start_proposal(proposer, cohort)
    proposals.save_proposal(proposer, proposal, 1, rows_of(proposal), submit=True)
    client.force_login(proposer)
    assert "Approve the cohort selection" not in client.get(reverse("home")).content.decode()
    task = flows.open_selection_task(proposal, flows.SelectionFlow.approve)
    assert client.post(task.reverse("assign")).status_code == 404
    client.force_login(other_lead)
    client.post(task.reverse("assign"))
    response = client.post(
        task_page(client, task), {"action": "decide", "decision": "approve", "comment": ""}
    )
    assert response.url == reverse("home")
    assert SelectionProposal.objects.get(pk=proposal.pk).state == "approved"
    assert flows.selection_process_of(proposal).status == "DONE"


def test_sme_confirms_its_place_on_the_place_page(client):
    cohort = selection_cohort()
    people = [applicant(cohort, s) for s in (5, 4, 3)]
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    application, representative = people[0]
    client.force_login(representative)
    url = reverse("cohorts:place", args=[application.pk])
    assert "Attend every session." in client.get(url).content.decode()
    client.post(url, {"action": "confirm", "terms_version": "2.1", "accept": "on"})
    assert Application.objects.get(pk=application.pk).state == "confirmed"
    other, _rep = people[1]
    assert client.get(reverse("cohorts:place", args=[other.pk])).status_code == 404


def confirmed_cohort(count):
    cohort = selection_cohort(capacity=count, waitlist_length=0)
    people = [
        applicant(cohort, 5 - i % 4, area="water" if i % 2 else "materials") for i in range(count)
    ]
    rule(cohort, "green_area", "water", maximum=count)
    officer, _o2, lead = staff()
    approved(cohort, officer, lead)
    for application, representative in people:
        confirmation.confirm_place(representative, application, "2.1")
    return cohort, officer


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_roster_page_runs_the_same_queries_for_2_and_12_companies(client):
    small, officer = confirmed_cohort(2)
    large, _officer = confirmed_cohort(12)
    client.force_login(officer)
    page = client.get(reverse("cohorts:roster", args=[large.pk])).content.decode()
    assert "12 of 12 places confirmed" in page
    assert queries(client, reverse("cohorts:roster", args=[small.pk])) == queries(
        client, reverse("cohorts:roster", args=[large.pk])
    )


def test_proposal_page_runs_the_same_queries_for_2_and_12_entries(client):
    small, officer = confirmed_cohort(2)
    large, _officer = confirmed_cohort(12)
    client.force_login(officer)
    assert queries(client, reverse("cohorts:proposal", args=[small.pk])) == queries(
        client, reverse("cohorts:proposal", args=[large.pk])
    )


def test_roster_csv_starts_with_a_byte_order_mark(client):
    cohort, officer = confirmed_cohort(2)
    client.force_login(officer)
    response = client.get(reverse("cohorts:roster_csv", args=[cohort.pk]))
    text = response.content.decode("utf-8")
    assert text[0] == "\ufeff"
    assert len(text.strip().splitlines()) == 3
    assert "2.1" in text.splitlines()[1]


def test_roster_csv_guards_a_formula_in_a_contact_email(client):
    import csv
    import io

    cohort, officer = confirmed_cohort(1)
    contact = cohort.applications.get().company.representatives.get()
    contact.email = "=cmd|' /C calc'!A0@evil.cn"
    contact.save()
    client.force_login(officer)
    response = client.get(reverse("cohorts:roster_csv", args=[cohort.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][7] == "'=cmd|' /C calc'!A0@evil.cn"


def test_selection_pages_render_in_chinese(client):
    cohort, officer = confirmed_cohort(2)
    client.force_login(officer)
    with translation.override("zh-hans"):
        response = client.get(
            reverse("cohorts:roster", args=[cohort.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 200


def test_cohort_form_offers_only_published_questionnaire_versions():
    from clinic.models import QuestionnaireVersion

    published = published_version("q-pub")
    draft = QuestionnaireVersion.objects.create(
        version="q-draft", title={"en": "Draft"}, content={}, status="draft"
    )
    choices = set(CohortForm().fields["questionnaire_version"].queryset)
    assert published in choices
    assert draft not in choices


def test_questionnaire_for_cohort_uses_the_cohorts_version():
    older = published_version("q-older")
    published_version("q-newer")
    cohort = selection_cohort(questionnaire_version=older)
    assert questionnaire_for(cohort.questionnaire_version) == older


def test_copy_settings_copies_the_questionnaire_version(client):
    version = published_version("q-copy")
    cohort = selection_cohort(questionnaire_version=version)
    client.force_login(make_user(roles.OFFICER))
    response = client.get(reverse("cohorts:create") + f"?copy={cohort.pk}")
    assert response.context["form"].initial["questionnaire_version"] == version


def test_officer_changes_a_quota_rule(client):
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:quota_rules", args=[cohort.pk])
    assert client.get(url + f"?edit={water.pk}").context["form"].initial["area"] == "water"
    client.post(url, {"rule": water.pk, "dimension": "green_area", "area": "water", "maximum": 3})
    assert list(QuotaRule.objects.values_list("pk", "maximum")) == [(water.pk, 3)]


def test_officer_submits_through_the_edit_task_and_the_flow_moves_to_approval(client):
    cohort = selection_cohort()
    for score in (5, 4, 3, 2):
        applicant(cohort, score)
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    client.get(reverse("home"))
    proposal = proposals.start_proposal(officer, cohort)
    task = flows.open_selection_task(proposal, flows.SelectionFlow.edit)
    client.post(task.reverse("assign"))
    page = task_page(client, task)
    response = client.post(page, {**form_data(proposal), "action": "save"})
    assert response.url == page
    response = client.post(page, {**form_data(proposal, {}), "version": 2, "action": "submit"})
    assert response.url == reverse("home")
    nodes = sorted(
        (t.flow_task.name, t.status) for t in flows.selection_process_of(proposal).task_set.all()
    )
    assert nodes == [("approve", "NEW"), ("edit", "DONE"), ("start", "DONE")]


def test_quota_rule_without_its_value_shows_the_form_again(client):
    cohort = selection_cohort()
    client.force_login(make_user(roles.OFFICER))
    url = reverse("cohorts:quota_rules", args=[cohort.pk])
    for dimension in ("size_class", "green_area", "region"):
        response = client.post(url, {"dimension": dimension, "minimum": "1"})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert QuotaRule.objects.count() == 0
