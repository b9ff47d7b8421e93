"""Every stateful model's transition table, walked through its one ``move``: from every state,
every move of the table either moves (writes its audit record before -> after and queues
exactly the mail kinds the table says it sends, to the people the machine's ``notify`` picks),
is a repeat (already in the target: nothing written) or is refused with ``wrong_state``."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic import roles
from clinic.models import AuditLog, OutboxMessage
from clinic.services.ipaudit import AUDIT
from clinic.services.outbox import OUTBOX
from clinic.transitions import MACHINES
from cohorts.models import Review, SelectionProposal
from cohorts.transitions import APPLICATION, PROPOSAL, REVIEW
from mentoring.events.models import Registration
from mentoring.events.transitions import EVENT, REGISTRATION
from mentoring.matchmaking.models import Need
from mentoring.matchmaking.transitions import INTRODUCTION, NEED, PARTNER, TECHNOLOGY
from mentoring.models import ActionItem, Assessment, FollowUpReport, PlanVersion, Session
from mentoring.transitions import (
    ACTION_ITEM,
    ASSESSMENT,
    FOLLOW_UP,
    PARTICIPATION,
    PLAN_VERSION,
    SESSION,
)
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    audit_with_representative,
    company_with_representative,
    make_user,
)
from tests.mentoring.events.helpers import invited_company, new_event, register
from tests.mentoring.helpers import assigned, bare_participant
from tests.mentoring.matchmaking import helpers as matchmaking
from tests.refusals import refused

pytestmark = pytest.mark.django_db


def participation():
    return bare_participant(CohortFactory())[0]


def assessment():
    """An assessment whose participant has a lead and a support expert (who get its mail)."""
    participant = assigned(participation())[0]
    assigned(participant, role="support")
    return Assessment.objects.create(participation=participant)


def follow_up_report():
    """A 12-month report (its re-rating is mailed to the lead expert on submitting)."""
    participant = assigned(participation())[0]
    return FollowUpReport.objects.create(participation=participant, round=12, due_on=date.today())


def action_item():
    return ActionItem.objects.create(
        assessment=assessment(),
        dimension=1,
        policy="acquire",
        title="File the utility model",
        horizon=6,
        owner="CTO",
        due_date=date.today() + timedelta(days=90),
    )


def session():
    return Session.objects.create(
        participation=participation(),
        expert=make_user(roles.EXPERT),
        starts_at=timezone.now(),
        number=1,
    )


def outbox_message():
    return OutboxMessage.objects.create(
        to_email="someone@example.org", language="en", kind="test", subject="Hello", body="Hi"
    )


def registration():
    event, actor = new_event()
    invitation, representative = invited_company(event, actor)
    return register(invitation, representative)


def event():
    """A draft event with one person registered and one who attended (its moves mail them)."""
    event, actor = new_event(publish=False)
    invitation, representative = invited_company(event, actor)
    Registration.objects.create(
        event=event, invitation=invitation, name="Wang Fang", email=representative.email
    )
    Registration.objects.create(
        event=event, invitation=invitation, name="Li Lei", email="li@example.org", state="attended"
    )
    return event


def conflicted_review():
    make_user(roles.OFFICER)  # the officers are told of a declared conflict
    return Review.objects.create(
        application=ApplicationFactory(), reviewer=make_user(roles.REVIEWER)
    )


def proposal():
    officer = make_user(roles.OFFICER)
    return SelectionProposal.objects.create(
        cohort=CohortFactory(), started_by=officer, proposed_by=officer
    )


def technology():
    make_user(roles.OFFICER)
    return matchmaking.technology(*matchmaking.sme())


def need():
    make_user(roles.OFFICER)
    return matchmaking.need(*matchmaking.partner(), state="draft")


BUILDERS = {
    "application": (
        APPLICATION,
        lambda: ApplicationFactory(company=company_with_representative()[0]),
    ),
    "review": (REVIEW, conflicted_review),
    "proposal": (PROPOSAL, proposal),
    "participation": (PARTICIPATION, participation),
    "ip_audit": (AUDIT, lambda: audit_with_representative()[0]),
    "assessment": (ASSESSMENT, assessment),
    "action_item": (ACTION_ITEM, action_item),
    "plan_version": (
        PLAN_VERSION,
        lambda: PlanVersion.objects.create(participation=participation(), number=1, language="en"),
    ),
    "follow_up_report": (FOLLOW_UP, follow_up_report),
    "session": (SESSION, session),
    "outbox_message": (OUTBOX, outbox_message),
    "event": (EVENT, event),
    "registration": (REGISTRATION, registration),
    "technology": (TECHNOLOGY, technology),
    "need": (NEED, need),
    "partner": (PARTNER, lambda: matchmaking.partner(state="pending")[0]),
    "introduction": (INTRODUCTION, lambda: matchmaking.introduced()[0]),
}


def stored_state(machine, obj):
    return machine.model._base_manager.values_list(machine.state_field, flat=True).get(pk=obj.pk)


def force(machine, obj, state):
    machine.model._base_manager.filter(pk=obj.pk).update(**{machine.state_field: state})
    setattr(obj, machine.state_field, state)


def records(obj):
    return AuditLog.objects.for_object(obj).order_by("pk")


def sent_kinds(since):
    return set(OutboxMessage.objects.filter(pk__gt=since).values_list("kind", flat=True))


def last_message():
    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def try_move(machine, obj, move, state):
    """Make ``move`` from ``state``; returns the outcome (moved, repeat or refused)."""
    force(machine, obj, state)
    before, mail = records(obj).count(), last_message()
    if state in move.sources:
        with transaction.atomic():
            assert machine.move(obj, move.name) is True
        assert sent_kinds(mail) == set(move.sends)
        assert stored_state(machine, obj) == move.target
        record = records(obj).last()
        assert records(obj).count() == before + 1
        assert (record.action, record.from_state, record.to_state) == (
            move.verb,
            state,
            move.target,
        )
        return "moved"
    if state == move.target:
        with transaction.atomic():
            assert machine.move(obj, move.name) is False
        outcome = "repeat"
    else:
        with refused("wrong_state"), transaction.atomic():
            machine.move(obj, move.name)
        outcome = "refused"
    assert stored_state(machine, obj) == state
    assert (records(obj).count(), sent_kinds(mail)) == (before, set())
    return outcome


@pytest.mark.parametrize("model", sorted(BUILDERS))
def test_every_move_of_the_table_from_every_state(model):
    machine, build = BUILDERS[model]
    obj = build()
    outcomes = {
        (state, move.name): try_move(machine, obj, move, state)
        for state in machine.states()
        for move in machine.moves.values()
    }
    assert {key for key, outcome in outcomes.items() if outcome == "moved"} == {
        (state, move.name) for move in machine.moves.values() for state in move.sources
    }
    assert "refused" in outcomes.values()  # every table leaves some moves out


def test_every_table_that_sends_mail_has_the_function_that_queues_it():
    """A machine's ``notify`` is given to it or registered by a services module from its app's
    ``ready()``: every move that sends mail finds it."""
    assert {machine for machine, _build in BUILDERS.values()} == set(MACHINES.values())
    assert [m.model.__name__ for m in MACHINES.values() if m.sends_mail() and not m.notify] == []


def test_the_tables_answer_what_the_services_used_to_list_apart():
    from cohorts.transitions import AWAITING_DECISION, HOLDING
    from mentoring.transitions import INACTIVE_STATES, PLANNABLE_STATES

    assert AWAITING_DECISION == ("eligible", "under_review")
    assert HOLDING == ("selected", "confirmed")
    assert APPLICATION.sources("withdrawn") == (
        "draft",
        "submitted",
        "needs_info",
        "eligible",
        "under_review",
        "waitlisted",
    )
    assert INACTIVE_STATES == ("closed", "dropped_out")
    assert PLANNABLE_STATES == ("plan_review", "completed", "follow_up")
    assert [move.name for move in PROPOSAL.moves_from("submitted")] == [
        "proposal_approved",
        "proposal_returned",
    ]
    assert ACTION_ITEM.between("open", "done") == "action_done"
    assert ACTION_ITEM.between("done", "done") is None


def test_a_table_naming_a_state_the_model_does_not_have_is_refused_at_import():
    from clinic.transitions import Machine, Move

    with pytest.raises(ValueError, match="signed"):
        Machine(PlanVersion, moves=[Move("plan_signed_off", ("ready",), "signed")])
    # The refused table does not replace the model's: pages still ask the real one.
    assert MACHINES[PlanVersion] is PLAN_VERSION


def test_every_move_a_template_asks_about_is_in_a_table():
    """``{% if obj|allows:"name" %}`` swallows a KeyError as False: a misspelt or removed move
    would hide its button silently."""
    asked = {
        name
        for path in Path(settings.BASE_DIR).glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        for name in re.findall(r'allows:"([a-z_]+)"', path.read_text())
    }
    known = {name for machine in MACHINES.values() for name in machine.moves}
    assert asked and asked - known == set()


def test_pages_offer_an_action_only_where_its_move_applies():
    from clinic.templatetags.clinic_tags import allows

    application = ApplicationFactory(state="submitted")
    assert (allows(application, "confirmed_eligible"), allows(application, "place_confirmed")) == (
        True,
        False,
    )
    application.state = "selected"
    assert (allows(application, "confirmed_eligible"), allows(application, "place_confirmed")) == (
        False,
        True,
    )


def test_every_move_names_the_rule_that_decides_who_may_make_it():
    from importlib import import_module

    rules = [
        import_module(name)
        for name in (
            "clinic.permissions",
            "cohorts.permissions",
            "mentoring.permissions",
            "mentoring.events.permissions",
            "mentoring.matchmaking.permissions",
        )
    ]
    unknown = [
        (machine.model.__name__, move.name, move.who)
        for machine, _build in BUILDERS.values()
        for move in machine.moves.values()
        if move.who != "system" and not any(callable(getattr(m, move.who, None)) for m in rules)
    ]
    assert unknown == []


def test_the_models_named_state_sets_agree_with_their_tables():
    """The sets the models name for queries are the tables' answers, so they cannot drift."""
    assert set(Review.OPEN_STATES) == set(REVIEW.sources("review_submitted"))
    assert set(Review.ACTIVE_STATES) == set(REVIEW.sources("conflict_declared"))
    assert set(FollowUpReport.DONE_STATES) == set(FOLLOW_UP.states()) - set(
        FOLLOW_UP.sources("follow_up_submitted")
    )
    assert set(Registration.SEATED) == set(REGISTRATION.sources("attended", "absent"))
    assert set(Need.VISIBLE_STATES) == set(NEED.sources("close")) - set(NEED.sources("approve"))
