"""The stale-form check (clinic/versioning.py) on every form that edits shared data: a save
from a form opened before someone else saved answers 409, keeps the other person's change and
shows what the user typed; natural-key duplicates are a form error, never a server error."""

import re

import pytest
from django.urls import reverse

from clinic import roles
from cohorts.models import QuotaRule
from tests.cohorts.selection_helpers import rule, selection_cohort
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def stamp_of(response):
    """The stamp the page carries (what a browser posts back)."""
    found = re.findall(r'name="edit_stamp" value="([0-9a-f]*)"', response.content.decode())
    assert len(found) == 1
    return found[0]


def officer_client(client_class):
    client = client_class()
    client.force_login(make_user(roles.OFFICER))
    return client


def stale_save(client_class, url, first, second):
    """Two people open ``url``; the first saves ``first``, then the second saves ``second``
    from the form it opened before. Returns the second's response."""
    alice, bob = officer_client(client_class), officer_client(client_class)
    alice_stamp, bob_stamp = stamp_of(alice.get(url)), stamp_of(bob.get(url))
    assert alice.post(url, {**first, "edit_stamp": alice_stamp}).status_code == 302
    return bob.post(url, {**second, "edit_stamp": bob_stamp})


# --- quota rules ------------------------------------------------------------------------------


def test_quota_rule_stale_save_answers_409_and_keeps_the_first_change(client):
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    url = reverse("cohorts:quota_rules", args=[cohort.pk]) + f"?edit={water.pk}"
    base = {"rule": water.pk, "dimension": "green_area", "area": "water"}
    response = stale_save(
        type(client), url, {**base, "maximum": "3"}, {**base, "minimum": "1", "maximum": "5"}
    )
    assert response.status_code == 409
    assert list(QuotaRule.objects.values_list("minimum", "maximum")) == [(None, 3)]
    page = response.content.decode()
    assert "Someone else saved this meanwhile." in page
    assert response.context["form"]["maximum"].value() == "5"
    assert response.context["form"].stale["fields"] == [("At least", ""), ("At most", "3")]
    assert stamp_of(response) != ""


def test_quota_rule_saved_again_after_a_conflict_overwrites_knowingly(client):
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    url = reverse("cohorts:quota_rules", args=[cohort.pk]) + f"?edit={water.pk}"
    base = {"rule": water.pk, "dimension": "green_area", "area": "water"}
    response = stale_save(type(client), url, {**base, "maximum": "3"}, {**base, "maximum": "5"})
    bob = officer_client(type(client))
    again = bob.post(url, {**base, "maximum": "5", "edit_stamp": stamp_of(response)})
    assert again.status_code == 302
    assert list(QuotaRule.objects.values_list("maximum", flat=True)) == [5]


def test_identical_quota_rule_is_refused_with_a_form_error(client):
    cohort = selection_cohort()
    rule(cohort, "region", "Jiangsu", maximum=2)
    client.force_login(make_user(roles.OFFICER))
    response = client.post(
        reverse("cohorts:quota_rules", args=[cohort.pk]),
        {"dimension": "region", "region": "jiangsu", "maximum": "4"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This cohort has a rule for this value already."
    ]
    assert QuotaRule.objects.count() == 1
