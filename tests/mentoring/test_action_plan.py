"""Action items: validation against the horizon, suggestions from gaps and follow-ups, grouping."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from clinic.dimensions import Dimension
from mentoring.models import ActionItem
from mentoring.services import action_plan as service
from mentoring.services import assessment as assessment_service
from tests.refusals import refused

from .plan_helpers import item_values, scores, started

pytestmark = pytest.mark.django_db


def scored(levels, targets, **kwargs):
    participation, _rep, expert, _officer, current = started(**kwargs)
    assessment_service.save_assessment(
        expert, current, scores=scores(levels, targets), executive_summary="Summary"
    )
    return expert, current


def test_add_months_keeps_day_or_uses_month_end():
    assert [service.add_months(date(2026, 1, 31), n) for n in (1, 3, 12)] == [
        date(2026, 2, 28),
        date(2026, 4, 30),
        date(2027, 1, 31),
    ]


def test_suggestions_from_gaps_largest_gap_first():
    expert, current = scored(
        levels={1: 3, 2: 0, 3: 1, 4: 2, 5: 4},
        targets={1: 3, 2: 4, 3: 4, 4: 3, 5: 4},
    )
    gap_suggestions = [s for s in service.suggestions(current) if s.source == "gap"]
    assert [(s.dimension, s.gap, s.horizon) for s in gap_suggestions] == [
        (2, 4, 3),
        (3, 3, 3),
        (4, 1, 6),
    ]


def test_suggestions_cap_at_five_gaps_with_twelve_month_horizon_last():
    levels = {d: 0 for d in Dimension.values}
    targets = {d: 1 + (d % 3) for d in Dimension.values}
    expert, current = scored(levels, targets)
    gap_suggestions = [s for s in service.suggestions(current) if s.source == "gap"]
    assert [s.horizon for s in gap_suggestions] == [3, 3, 6, 6, 12]


def test_suggestions_due_at_horizon_end_from_assessment_date():
    expert, current = scored(levels={2: 0}, targets={2: 4})
    suggestion = [s for s in service.suggestions(current) if s.source == "gap"][0]
    assert suggestion.due_date == service.add_months(current.assessed_on, 3)


def test_suggestions_leave_out_dimensions_with_an_action():
    expert, current = scored(levels={2: 0, 3: 1}, targets={2: 4, 3: 4})
    service.add_item(expert, current, **item_values(current, dimension=2))
    gaps = [s.dimension for s in service.suggestions(current) if s.source == "gap"]
    assert gaps == [3]


def test_suggestions_include_open_follow_ups_of_shared_notes():
    follow_ups = [
        {"title": "Collect invention disclosures", "owner": "CTO", "due_date": None},
        {"title": "Send the contractor agreements", "owner": "", "due_date": None},
    ]
    expert, current = scored(levels={}, targets={}, follow_ups=follow_ups)
    found = [(s.title, s.owner, s.horizon) for s in service.suggestions(current)]
    assert found == [
        ("Collect invention disclosures", "CTO", 1),
        ("Send the contractor agreements", "", 1),
    ]


def test_add_item_due_date_after_horizon_is_refused():
    expert, current = scored(levels={}, targets={})
    values = item_values(current, horizon=1, due_date=current.assessed_on + timedelta(days=45))
    with refused("wrong_state"):
        service.add_item(expert, current, **values)
    assert ActionItem.objects.count() == 0


def test_add_item_due_date_before_assessment_is_refused():
    expert, current = scored(levels={}, targets={})
    values = item_values(current, due_date=current.assessed_on - timedelta(days=1))
    with refused("wrong_state"):
        service.add_item(expert, current, **values)


def test_add_item_negative_cost_is_refused():
    expert, current = scored(levels={}, targets={})
    with refused("invalid"):
        service.add_item(expert, current, **item_values(current, cost=Decimal("-1")))


def test_add_item_without_owner_is_refused():
    expert, current = scored(levels={}, targets={})
    with refused("invalid"):
        service.add_item(expert, current, **item_values(current, owner=" "))


def test_add_item_on_last_day_of_horizon_is_kept():
    expert, current = scored(levels={}, targets={})
    end = service.add_months(current.assessed_on, 12)
    item = service.add_item(expert, current, **item_values(current, horizon=12, due_date=end))
    assert (item.horizon, item.due_date) == (12, end)


def test_change_item_status_is_audited():
    from clinic.models import AuditLog

    expert, current = scored(levels={}, targets={})
    item = service.add_item(expert, current, **item_values(current))
    service.change_item(expert, item, status="in_progress")
    entry = AuditLog.objects.filter(action="action_changed").get()
    assert (entry.from_state, entry.to_state, entry.reason) == ("open", "in_progress", "status")
    assert entry.changes == {"status": ["open", "in_progress"]}


def test_items_grouped_by_policy_and_by_horizon():
    expert, current = scored(levels={}, targets={})
    service.add_item(expert, current, **item_values(current, 0, policy="monitor", horizon=6))
    service.add_item(expert, current, **item_values(current, 1, policy="acquire", horizon=3))
    items = list(current.actions.order_by("pk"))
    assert [(p.value, len(g)) for p, g in service.by_policy(items)] == [
        ("acquire", 1),
        ("monitor", 1),
    ]
    assert [(h.value, len(g)) for h, g in service.by_horizon(items)] == [(3, 1), (6, 1)]
