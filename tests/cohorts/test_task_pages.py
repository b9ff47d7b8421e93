"""The flow task pages (claim, release, execute) of every mounted node: 404 unless the task is the
URL's process's task at the URL's node and the user may claim, release or do it; the four-eyes
rule of the approval task asked by the offer, the claim, the page and the service alike."""

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from clinic import roles, workflow
from cohorts import flows
from cohorts.services import proposals, publishing
from mentoring.flows import ParticipationFlow
from tests.factories import eligible_application, make_user, submitted_application
from tests.refusals import refused

from .selection_helpers import applicant, rows_of, selection_cohort, staff

pytestmark = pytest.mark.django_db

# Every user-task node of every flow (each mounts execute, assign and unassign pages).
MOUNTED_NODES = [
    node
    for flow_class in (flows.ApplicationFlow, flows.SelectionFlow, ParticipationFlow)
    for node in flow_class.instance.nodes()
    if isinstance(node, workflow.View)
]
ACTIONS = ("assign", "unassign", "execute")


def url(node, action, process_pk, task_pk):
    return node.reverse(action, args=[process_pk, task_pk])


@pytest.fixture
def pipeline():
    """Tasks in every state: a screening task waiting in the pool, a screened application waiting
    for its reviews, a proposal being edited and a submitted one waiting for a lead."""
    officer, _officer2, _lead = staff()
    new_application, _ = submitted_application()
    screened, _ = eligible_application(officer)
    editing = selection_cohort()
    submitted = selection_cohort()
    for cohort in (editing, submitted):
        for score in (5, 4, 3):
            applicant(cohort, score)
    proposals.start_proposal(officer, editing)
    proposal = proposals.start_proposal(officer, submitted)
    proposals.save_proposal(officer, proposal, 1, rows_of(proposal), submit=True)
    return {
        "officer": officer,
        "screen": flows.open_task(new_application, flows.ApplicationFlow.screen),
        "reviews": flows.open_task(screened, flows.ApplicationFlow.reviews),
        "proposal": proposal,
        "approve": flows.open_selection_task(proposal, flows.SelectionFlow.approve),
    }


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER, roles.EXPERT])
def test_task_pages_answer_404_to_sme_reviewer_and_expert_for_every_task(client, pipeline, role):
    client.force_login(make_user(role))
    tasks = list(Task.objects.order_by("pk"))
    answers = set()
    for node in MOUNTED_NODES:
        for task in tasks:
            for action in ACTIONS:
                address = url(node, action, task.process_id, task.pk)
                answers.add((client.get(address).status_code, client.post(address).status_code))
    assert (len(MOUNTED_NODES), len(tasks) > 10) == (3, True)
    assert answers == {(404, 404)}
    assert list(Task.objects.order_by("pk").values_list("owner", flat=True)) == [
        task.owner_id for task in tasks
    ]


def test_claim_page_answers_404_for_a_task_of_another_process_or_node(client, pipeline):
    client.force_login(make_user(roles.OFFICER))
    screen, reviews = pipeline["screen"], pipeline["reviews"]
    screen_node = flows.ApplicationFlow.screen
    other_process = url(screen_node, "assign", reviews.process_id, screen.pk)
    waiting_task = url(screen_node, "assign", reviews.process_id, reviews.pk)
    other_node = url(flows.SelectionFlow.edit, "assign", screen.process_id, screen.pk)
    assert [client.get(address).status_code for address in (other_process, other_node)] == [
        404,
        404,
    ]
    assert [client.post(address).status_code for address in (waiting_task, other_process)] == [
        404,
        404,
    ]
    assert Task.objects.get(pk=reviews.pk).status == STATUS.NEW
    assert Task.objects.get(pk=screen.pk).owner is None


def test_claim_and_release_of_a_pool_task_only_by_the_permission_holder_and_owner(client, pipeline):
    screen = pipeline["screen"]
    officer, other_officer = make_user(roles.OFFICER), make_user(roles.OFFICER)
    client.force_login(officer)
    page = client.get(screen.reverse("assign"))
    claimed = client.post(screen.reverse("assign"))
    assert (page.status_code, claimed.status_code, claimed.url) == (
        200,
        302,
        screen.reverse("execute"),
    )
    client.force_login(other_officer)
    assert [
        client.post(screen.reverse(action)).status_code for action in ("assign", "unassign")
    ] == [404, 404]
    assert Task.objects.get(pk=screen.pk).owner == officer
    client.force_login(officer)
    assert client.post(screen.reverse("unassign")).status_code == 302
    task = Task.objects.get(pk=screen.pk)
    assert (task.owner, task.status) == (None, STATUS.NEW)


def test_claim_of_a_done_task_answers_404(client, pipeline):
    process = flows.selection_process_of(pipeline["proposal"])
    done = process.task_set.get(flow_task=flows.SelectionFlow.edit, status=STATUS.DONE)
    client.force_login(make_user(roles.OFFICER))
    assert [client.post(done.reverse(action)).status_code for action in ("assign", "unassign")] == [
        404,
        404,
    ]


def test_lead_who_edited_the_proposal_is_not_offered_the_approval_and_cannot_claim_or_approve(
    client,
):
    cohort = selection_cohort()
    for score in (5, 4, 3):
        applicant(cohort, score)
    officer, _officer2, editing_lead = staff()
    other_lead = make_user(roles.LEAD)
    proposal = proposals.start_proposal(officer, cohort)
    proposal = proposals.save_proposal(editing_lead, proposal, 1, rows_of(proposal))
    proposal = proposals.save_proposal(officer, proposal, 2, rows_of(proposal), submit=True)
    task = flows.open_selection_task(proposal, flows.SelectionFlow.approve)
    client.force_login(editing_lead)
    offered = client.get(reverse("home")).context["claimable"]
    claim = client.post(task.reverse("assign"))
    Task.objects.filter(pk=task.pk).update(owner=editing_lead, status=STATUS.ASSIGNED)
    execute = client.post(task.reverse("execute"), {"action": "decide", "decision": "approve"})
    with refused("not_permitted"):
        publishing.approve(editing_lead, proposal)
    assert (offered, claim.status_code, execute.status_code) == ([], 404, 404)
    Task.objects.filter(pk=task.pk).update(owner=None, status=STATUS.NEW)
    client.force_login(other_lead)
    offered = [row["task"].pk for row in client.get(reverse("home")).context["claimable"]]
    assert (offered, client.post(task.reverse("assign")).status_code) == ([task.pk], 302)
