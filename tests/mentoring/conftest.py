"""Fixtures the plan version tests share."""

import pytest

from .plan_helpers import submitted


@pytest.fixture
def plan(django_capture_on_commit_callbacks):
    """A participant with a submitted assessment: (participation, representative, expert,
    officer, assessment)."""
    return submitted(
        company_kwargs={"legal_name": "Hydrocell Energy Technology Co., Ltd."}, sessions=2
    )
