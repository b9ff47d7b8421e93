"""The stale-form check (clinic/versioning.py) on every form that edits shared data: a save
from a form opened before someone else saved answers 409, keeps the other person's change and
shows what the user typed; natural-key duplicates are a form error, never a server error."""

import datetime
import re

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from clinic import roles
from clinic.models import Company, IPAsset, QuestionnaireVersion
from clinic.services import ipaudit, questionnaires
from cohorts.models import Application, Cohort, Programme, QuotaRule, RubricCriterion
from cohorts.services.rubric import ensure_rubric
from mentoring.models import ActionItem, Assessment, ExpertProfile, Session, SessionNote
from mentoring.services import action_plan
from tests.cohorts.selection_helpers import rule, selection_cohort
from tests.factories import (
    ApplicationFactory,
    CohortFactory,
    company_with_representative,
    make_user,
    published_version,
)
from tests.mentoring.helpers import held_session, schedule
from tests.mentoring.plan_helpers import item_values, started

pytestmark = pytest.mark.django_db


def stamp_of(response):
    """The stamp the page carries (what a browser posts back)."""
    found = re.findall(r'name="edit_stamp" value="([0-9a-f]*)"', response.content.decode())
    assert len(found) == 1
    return found[0]


def posted(*forms):
    """What a browser posts for ``forms`` (forms or formsets) as the page showed them."""
    data = {}
    for form in forms:
        if hasattr(form, "management_form"):
            data.update(posted(form.management_form, *form.forms))
            continue
        for bound in form:
            value = bound.value()
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = bound.field.widget.format_value(value)
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    return data


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


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


def test_quota_rule_stale_save_names_the_saved_rule_not_the_typed_one(client):
    cohort = selection_cohort()
    water = rule(cohort, "green_area", "water", maximum=2)
    url = reverse("cohorts:quota_rules", args=[cohort.pk]) + f"?edit={water.pk}"
    base = {"rule": water.pk, "dimension": "green_area", "area": "water"}
    response = stale_save(type(client), url, {**base, "maximum": "3"}, {**base, "maximum": "5"})
    assert response.status_code == 409
    assert response.context["editing_label"] == QuotaRule.objects.get().label
    assert "Change the rule “Water: at most 3”" in response.content.decode()


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


# --- every other form that edits shared data: one parametrised test ---------------------------
# Each case: the page, the two people who open it, the field they change, and how to read the
# saved value back.


def company_case():
    company, first = company_with_representative()
    second = make_user(roles.SME)
    company.representatives.add(second)
    url = reverse("company_edit", args=[company.pk])
    return url, (first, second), "city", lambda: Company.objects.get().city


def application_case():
    company, first = company_with_representative()
    second = make_user(roles.SME)
    company.representatives.add(second)
    application = ApplicationFactory(company=company)
    url = reverse("cohorts:application_edit", args=[application.pk])
    return url, (first, second), "motivation", lambda: Application.objects.get().motivation


def cohort_case():
    cohort = CohortFactory()
    url = reverse("cohorts:edit", args=[cohort.pk])
    users = (make_user(roles.OFFICER), make_user(roles.OFFICER))
    return url, users, "description", lambda: Cohort.objects.get().description


def programme_case():
    programme = CohortFactory().programme
    url = reverse("cohorts:programme_edit", args=[programme.pk])
    users = (make_user(roles.OFFICER), make_user(roles.OFFICER))
    return url, users, "description", lambda: Programme.objects.get().description


def rubric_case():
    cohort = CohortFactory()
    ensure_rubric(cohort)
    url = reverse("cohorts:rubric", args=[cohort.pk])
    users = (make_user(roles.OFFICER), make_user(roles.OFFICER))
    first = RubricCriterion.objects.filter(cohort=cohort).order_by("order", "pk").first()
    return url, users, "form-0-anchor_1", lambda: RubricCriterion.objects.get(pk=first.pk).anchor_1


def questionnaire_case():
    published_version("2026.1")
    officer = make_user(roles.OFFICER)
    draft = questionnaires.copy_version(officer, ipaudit.current_version(), "2026.2")
    url = reverse("ipaudit:questionnaire_edit", args=[draft.pk])

    def read():
        version = QuestionnaireVersion.objects.get(pk=draft.pk)
        return version.sections[0]["questions"][0]["text"]["en"]

    return url, (officer, make_user(roles.OFFICER)), "content", read


def assessment_case():
    participation, _rep, expert, _officer, _current = started()
    url = reverse("mentoring:assessment", args=[participation.pk])
    return url, (expert, expert), "strengths", lambda: Assessment.objects.get().strengths


def action_item_case():
    participation, _rep, expert, _officer, current = started()
    item = action_plan.add_item(expert, current, **item_values(current))
    url = reverse("mentoring:action_edit", args=[participation.pk, item.pk])
    return url, (expert, expert), "kpi", lambda: ActionItem.objects.get().kpi


def notes_case():
    participation, _rep, expert, officer, _current = started(sessions=0)
    session = held_session(participation, expert, days_ago=1)
    url = reverse("mentoring:notes", args=[session.pk])
    return url, (expert, officer), "summary", lambda: SessionNote.objects.get().summary


def asset_case():
    company, first = company_with_representative()
    second = make_user(roles.SME)
    company.representatives.add(second)
    asset = IPAsset.objects.create(
        company=company, asset_type="trademark", title="Aqua", status="idea"
    )
    url = reverse("ipaudit:asset_edit", args=[company.pk, asset.pk])
    return url, (first, second), "notes", lambda: IPAsset.objects.get().notes


def expert_profile_case():
    mentor = make_user(roles.EXPERT)
    url = reverse("mentoring:expert_edit", args=[mentor.pk])
    read = lambda: ExpertProfile.objects.get(user=mentor).bio  # noqa: E731
    return url, (mentor, make_user(roles.OFFICER)), "bio", read


def session_case():
    participation, _rep, expert, officer, _current = started(sessions=0)
    session = schedule(participation, expert)
    url = reverse("mentoring:session_edit", args=[session.pk])
    return url, (expert, officer), "agenda", lambda: Session.objects.get().agenda


CASES = {
    "company profile": company_case,
    "application draft": application_case,
    "cohort settings": cohort_case,
    "programme": programme_case,
    "rubric": rubric_case,
    "questionnaire draft": questionnaire_case,
    "assessment": assessment_case,
    "action item": action_item_case,
    "session notes": notes_case,
    "asset register": asset_case,
    "expert profile": expert_profile_case,
    "session": session_case,
}


def changed(data, field, text):
    """``data`` with ``field`` changed to say ``text`` (the questionnaire: its first question)."""
    if field == "content":
        content = yaml.safe_load(data[field])
        content["sections"][0]["questions"][0]["text"]["en"] = text
        return {**data, field: yaml.safe_dump(content, allow_unicode=True)}
    return {**data, field: text}


def opened(client, url):
    response = client.get(url)
    assert response.status_code == 200
    context = response.context
    forms = [context["formset"]] if "formset" in context else []
    if "form" in context and context["form"] is not None:
        forms.insert(0, context["form"])
    return {**posted(*forms), "edit_stamp": stamp_of(response)}


@pytest.mark.parametrize("case", list(CASES))
def test_stale_save_answers_409_and_keeps_the_first_change(case):
    url, (first_user, second_user), field, read = CASES[case]()
    first, second = logged_in(first_user), logged_in(second_user)
    first_data, second_data = opened(first, url), opened(second, url)
    assert first.post(url, changed(first_data, field, "Saved first")).status_code == 302
    response = second.post(url, changed(second_data, field, "Typed second"))
    assert response.status_code == 409
    assert read() == "Saved first"
    page = response.content.decode()
    assert "Someone else saved this meanwhile." in page
    assert "Typed second" in page
    assert stamp_of(response) != second_data["edit_stamp"]


@pytest.mark.parametrize("case", list(CASES))
def test_current_save_is_accepted_twice_in_a_row(case):
    url, (first_user, _second), field, read = CASES[case]()
    first = logged_in(first_user)
    assert first.post(url, changed(opened(first, url), field, "One")).status_code == 302
    assert first.post(url, changed(opened(first, url), field, "Two")).status_code == 302
    assert read() == "Two"


# --- natural keys -----------------------------------------------------------------------------

DUPLICATE_RIGHT = "The register lists this right already (same type, jurisdiction and number)."


def test_asset_with_the_number_of_a_listed_right_is_refused_with_a_form_error(client):
    company, representative = company_with_representative()
    IPAsset.objects.create(
        company=company,
        asset_type="trademark",
        title="Aqua",
        jurisdiction="CN",
        number="123",
        status="idea",
    )
    client.force_login(representative)
    response = client.post(
        reverse("ipaudit:asset_add", args=[company.pk]),
        {
            "asset_type": "trademark",
            "title": "Aqua again",
            "jurisdiction": "CN",
            "number": "123",
            "status": "idea",
            "business_relevance": "high",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [DUPLICATE_RIGHT]
    assert IPAsset.objects.count() == 1


def test_asset_import_refuses_a_right_listed_twice_and_imports_nothing():
    from clinic.services import assets

    company, representative = company_with_representative()
    header = "type,title,jurisdiction,number,status,owner,filing_date,grant_date,renewal_date,"
    rows = [
        header + "business_relevance,notes",
        "trademark,Aqua,CN,77,idea,,,,,high,",
        "trademark,Aqua bis,CN,77,idea,,,,,high,",
    ]
    with pytest.raises(assets.AssetImportError) as refused:
        assets.import_csv(representative, company, "\n".join(rows).encode())
    assert refused.value.problems == [(3, DUPLICATE_RIGHT)]
    assert IPAsset.objects.count() == 0


def test_unique_constraint_lost_race_is_a_form_error_not_a_server_error():
    from clinic.versioning import save_current
    from cohorts.forms_selection import QuotaRuleForm

    cohort = selection_cohort()
    form = QuotaRuleForm(
        {"dimension": "size_class", "size": "micro", "maximum": "3"},
        instance=QuotaRule(cohort=cohort),
    )
    assert form.is_valid()
    rule(cohort, "size_class", "micro", maximum=2)  # the other officer, just before the save
    assert save_current(form, lambda: form.save()) is False
    assert form.non_field_errors() == ["This entry exists already: someone has just added it."]
    assert QuotaRule.objects.count() == 1


def test_cohort_with_the_name_of_another_in_its_programme_is_refused_with_a_form_error(client):
    from tests.cohorts.test_cohort_settings import cohort_data

    existing = CohortFactory(name="Hangzhou 2027")
    client.force_login(make_user(roles.OFFICER))
    response = client.post(reverse("cohorts:create"), cohort_data(existing.programme))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The programme has a cohort of this name already."
    ]
    assert Cohort.objects.count() == 1
