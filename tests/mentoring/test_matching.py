import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, GreenArea, OutboxMessage
from clinic.services import accounts, ipaudit
from mentoring.models import Assignment, ExpertProfile
from mentoring.services import match_scores, matching
from tests.refusals import refused

from .helpers import assigned, expert, officer, participant

pytestmark = pytest.mark.django_db

WEAK = {5: 0.5, 7: 1.0, 10: 1.5}  # patents, freedom to operate, enforcement


def water_participant(**kwargs):
    return participant(
        weak=WEAK, green_area=GreenArea.WATER, correspondence_language="zh-hans", **kwargs
    )


def test_weakest_dimensions_are_the_three_lowest_scores():
    participation, _rep = water_participant()
    weakest = match_scores.weakest_dimensions(participation.audit)
    assert [(int(d), s) for d, s in weakest] == [(5, 0.5), (7, 1.0), (10, 1.5)]


def test_ranking_on_known_profiles_orders_by_fit_and_explains_it():
    participation, _rep = water_participant()
    expert(
        username="all_round",
        expertise={5: 3, 7: 3, 10: 3},
        areas=[GreenArea.WATER],
        languages=["zh-hans"],
    )
    expert(username="patents_only", expertise={5: 3}, languages=["en"])
    expert(
        username="wrong_strengths",
        expertise={1: 3, 2: 3},
        areas=[GreenArea.WATER],
        languages=["zh-hans", "en"],
    )
    suggestions = match_scores.rank_experts(participation)
    assert [(s.expert.username, s.total) for s in suggestions] == [
        ("all_round", 100),
        ("wrong_strengths", 50),
        ("patents_only", 42),  # 17 expertise + 10 (a representative's language) + 15 capacity
    ]
    assert [(p.points, p.maximum) for p in suggestions[2].parts] == [
        (17, 50),
        (0, 20),
        (10, 15),
        (15, 15),
    ]
    assert suggestions[0].parts[0].detail.startswith("5 Patents and utility models")


def test_ranking_puts_conflicted_and_full_experts_last_with_the_reason():
    participation, _rep = water_participant()
    other, _other_rep = participant(cohort=participation.cohort)
    conflicted = expert(
        username="conflicted", expertise={5: 3, 7: 3, 10: 3}, conflicts=[participation.company]
    )
    full = expert(username="full", capacity=1, expertise={5: 3, 7: 3, 10: 3})
    assigned(other, full)
    expert(username="free", expertise={5: 1})
    suggestions = match_scores.rank_experts(participation)
    assert [(s.expert.username, s.available) for s in suggestions] == [
        ("free", True),
        ("conflicted", False),
        ("full", False),
    ]
    assert suggestions[1].refusal == "Conflict of interest declared"
    assert suggestions[2].refusal == "No free place (1 of 1)"
    assert conflicted.pk != full.pk


def test_assign_refuses_a_conflicted_expert_with_a_clear_message():
    participation, _rep = water_participant()
    conflicted = expert(conflicts=[participation.company], first_name="Ada", last_name="Li")
    with refused("wrong_state") as error:
        matching.assign_expert(officer(), participation, conflicted)
    assert str(error.value) == (
        f"Ada Li declared a conflict of interest with {participation.company.legal_name} "
        "and cannot mentor it."
    )
    assert Assignment.objects.count() == 0


def test_assign_refuses_an_expert_at_capacity_with_a_clear_message():
    first, _rep = water_participant()
    second, _rep2 = participant(cohort=first.cohort)
    busy = expert(capacity=1, first_name="Bo", last_name="Wang")
    staff = officer()
    matching.assign_expert(staff, first, busy)
    with refused("wrong_state") as error:
        matching.assign_expert(staff, second, busy)
    assert str(error.value) == (
        f"Bo Wang is at capacity: 1 of 1 companies in {first.cohort} already. "
        "Raise the capacity on the expert's profile or choose another expert."
    )
    assert Assignment.objects.filter(participation=second).count() == 0


def test_capacity_counts_per_cohort():
    first, _rep = water_participant()
    elsewhere, _rep2 = participant()  # another cohort
    busy = expert(capacity=1)
    staff = officer()
    matching.assign_expert(staff, first, busy)
    matching.assign_expert(staff, elsewhere, busy)
    assert Assignment.objects.filter(expert=busy, ended_at=None).count() == 2


def test_assign_notifies_both_sides_and_records_the_assignment():
    participation, representative = water_participant()
    mentor = expert()
    staff = officer()
    OutboxMessage.objects.all().delete()
    matching.assign_expert(staff, participation, mentor, score=80)
    kinds = sorted(OutboxMessage.objects.values_list("to_email", "kind"))
    assert kinds == sorted(
        [(mentor.email, "expert_assigned"), (representative.email, "mentor_assigned")]
    )
    record = AuditLog.objects.for_object(participation).get(action="expert_assigned")
    assert (record.actor_id, record.to_state, record.reason) == (
        staff.pk,
        mentor.username,
        "Lead expert",
    )


def test_new_lead_replaces_the_previous_one_and_support_is_kept_apart():
    participation, _rep, first, staff = assigned(water_participant()[0])
    support = expert()
    matching.assign_expert(staff, participation, support, Assignment.Role.SUPPORT)
    second = expert()
    matching.assign_expert(staff, participation, second, Assignment.Role.LEAD)
    active = sorted(
        participation.assignments.filter(ended_at=None).values_list("expert__username", "role")
    )
    assert active == sorted([(second.username, "lead"), (support.username, "support")])
    assert participation.assignments.get(expert=first).ended_at is not None
    with refused("wrong_state"):
        matching.assign_expert(staff, participation, support, Assignment.Role.LEAD)


def test_only_officers_assign_experts():
    participation, representative = water_participant()
    mentor = expert()
    with refused("not_permitted"):
        matching.assign_expert(representative, participation, mentor)
    with refused("not_permitted"):
        matching.assign_expert(mentor, participation, mentor)


def test_assign_all_best_matches_respects_capacity():
    first, _r1 = participant(weak={5: 0.0})
    cohort = first.cohort
    second, _r2 = participant(cohort=cohort, weak={5: 1.0})
    third, _r3 = participant(cohort=cohort, weak={5: 2.0})
    strong = expert(username="strong", capacity=1, expertise={5: 3})
    weaker = expert(username="weaker", capacity=1, expertise={5: 1})
    made, unmatched = matching.assign_all_best_matches(officer(), cohort)
    leads = {a.participation_id: a.expert.username for a in made}
    assert leads == {first.pk: "strong", second.pk: "weaker"}
    assert unmatched == [third]
    assert strong.pk != weaker.pk


def test_assign_all_leaves_participants_with_a_lead_alone():
    participation, _rep, mentor, staff = assigned(water_participant()[0])
    expert(expertise={5: 3, 7: 3, 10: 3})
    made, unmatched = matching.assign_all_best_matches(staff, participation.cohort)
    assert (made, unmatched) == ([], [])
    assert participation.assignments.get(ended_at=None).expert == mentor


def test_assigned_expert_reads_the_audit_and_asset_register(client):
    participation, _rep, mentor, _staff = assigned(water_participant()[0])
    stranger = expert()
    client.force_login(mentor)
    assert client.get(reverse("ipaudit:detail", args=[participation.audit_id])).status_code == 200
    assets = reverse("ipaudit:assets", args=[participation.company_id])
    assert client.get(assets).status_code == 200
    client.force_login(stranger)
    assert client.get(reverse("ipaudit:detail", args=[participation.audit_id])).status_code == 404
    assert client.get(assets).status_code == 404


def test_assigned_expert_sees_the_company_but_cannot_invite_its_representatives(client):
    participation, representative, mentor, _staff = assigned(water_participant()[0])
    company = participation.company
    accounts.invite_representative(representative, company, "cfo@greenco.cn")
    client.force_login(mentor)
    page = client.get(reverse("company_detail", args=[company.pk]))
    invite = reverse("company_invite", args=[company.pk])
    answers = (
        client.get(invite).status_code,
        client.post(invite, {"email": "x@evil.cn"}).status_code,
    )
    client.force_login(representative)
    assert (page.status_code, answers, client.get(invite).status_code) == (200, (404, 404), 200)
    assert "cfo@greenco.cn" not in page.content.decode()
    assert list(company.invitations.values_list("email", flat=True)) == ["cfo@greenco.cn"]


def test_assigned_expert_returns_the_audit_and_a_removed_one_cannot():
    participation, _rep, mentor, staff = assigned(water_participant()[0])
    ipaudit.return_audit(mentor, participation.audit, {5: "List your patents."})
    participation.audit.refresh_from_db()
    assert participation.audit.state == "returned"
    matching.unassign_expert(staff, participation.assignments.get(ended_at=None))
    stranger = expert()
    with refused("not_permitted"):
        ipaudit.return_audit(stranger, participation.audit, {5: "x"})
    with refused("not_permitted"):
        ipaudit.return_audit(mentor, participation.audit, {5: "x"})


def test_matching_pages_are_for_officers_only(client):
    participation, representative, mentor, staff = assigned(water_participant()[0])
    pages = [
        reverse("mentoring:cohort_matching", args=[participation.cohort_id]),
        reverse("mentoring:match", args=[participation.pk]),
        reverse("mentoring:experts"),
    ]
    for user in (representative, mentor):
        client.force_login(user)
        assert [client.get(page).status_code for page in pages] == [404, 404, 404]
    client.force_login(staff)
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]


def test_officer_assigns_from_the_page_and_sees_the_refusal(client):
    participation, _rep = water_participant()
    staff = officer()
    conflicted = expert(conflicts=[participation.company])
    fine = expert()
    client.force_login(staff)
    url = reverse("mentoring:assign", args=[participation.pk])
    response = client.post(url, {"expert": conflicted.pk, "role": "lead"}, follow=True)
    assert "declared a conflict of interest" in response.content.decode()
    client.post(url, {"expert": fine.pk, "role": "lead"})
    assert participation.assignments.get(ended_at=None).expert == fine


def test_assign_all_from_the_board(client):
    participation, _rep = water_participant()
    mentor = expert(expertise={5: 3})
    client.force_login(officer())
    client.post(reverse("mentoring:assign_all", args=[participation.cohort_id]))
    assert participation.assignments.get(ended_at=None).expert == mentor


def test_assigned_expert_returns_the_audit_from_the_audit_page(client):
    participation, _rep, mentor, _staff = assigned(water_participant()[0])
    client.force_login(mentor)
    detail = reverse("ipaudit:detail", args=[participation.audit_id])
    url = reverse("ipaudit:return", args=[participation.audit_id])
    assert url in client.get(detail).content.decode()
    response = client.post(url, {"note": "Please add the contractor agreements."})
    assert response.url == detail
    participation.audit.refresh_from_db()
    assert participation.audit.state == "returned"
    assert participation.audit.rounds.get().returned_by == mentor
    client.force_login(expert())
    assert client.get(url).status_code == 404


def test_an_expert_never_mentors_a_company_they_represent():
    participation, representative = water_participant()
    representative.groups.add(Group.objects.get(name=roles.EXPERT))
    ExpertProfile.objects.create(user=representative, expertise={"5": 3})
    (suggestion,) = match_scores.rank_experts(participation)
    assert (suggestion.expert, suggestion.available) == (representative, False)
    with refused("wrong_state") as error:
        matching.assign_expert(officer(), participation, representative)
    assert str(error.value).endswith("cannot mentor it.")
