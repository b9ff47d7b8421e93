"""Audit records keep each changed field's before and after; sensitive fields by name only."""

import pytest
from django.urls import reverse

from clinic import roles
from clinic.models import AuditLog, CompanyInvitation
from clinic.services import accounts, audit
from tests.factories import company_with_representative, make_user

pytestmark = pytest.mark.django_db


def edit_employees(company, representative, employees):
    company.employees = employees
    return accounts.update_company(representative, company, ["employees", "legal_name"])


def test_company_edit_records_before_and_after_of_changed_fields():
    company, representative = company_with_representative(employees=6)
    edit_employees(company, representative, 7)
    record = AuditLog.objects.for_object(company).get(action="updated")
    assert record.changes == {"employees": ["6", "7"]}


def test_company_history_shows_before_and_after_in_english_and_chinese(client):
    company, representative = company_with_representative(employees=6)
    edit_employees(company, representative, 7)
    client.force_login(representative)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "<li>Employees: <del>6</del> → <ins>7</ins></li>" in page
    representative.preferred_language = "zh-hans"
    representative.save(update_fields=["preferred_language"])
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    assert "<li>员工人数: <del>6</del> → <ins>7</ins></li>" in page


def test_history_shows_choice_labels_not_stored_codes(client):
    company, representative = company_with_representative(green_area="water")
    company.green_area = "renewable_energy"
    accounts.update_company(representative, company, ["green_area"])
    client.force_login(representative)
    page = client.get(reverse("company_detail", args=[company.pk])).content.decode()
    labels = dict(type(company)._meta.get_field("green_area").flatchoices)
    assert f"<del>{labels['water']}</del> → <ins>{labels['renewable_energy']}</ins>" in page


def test_history_shows_yes_and_no_for_a_boolean_change():
    officer = make_user(roles.OFFICER)
    person = make_user(roles.REVIEWER)
    person.is_active = False
    record = audit.record(person, "updated", actor=officer, changes=audit.changes(person))
    assert [line[1:] for line in audit.describe_changes(record)] == [("yes", "no", False)]


def test_password_change_is_recorded_by_name_only():
    user = make_user(roles.OFFICER, email="old@example.cn")
    user.set_password("a-new-secret-99")
    user.email = "new@example.cn"
    assert audit.changes(user, ["password", "email"]) == {
        "password": [],
        "email": ["old@example.cn", "new@example.cn"],
    }


def test_invitation_token_is_recorded_by_name_only():
    company, representative = company_with_representative()
    invitation = accounts.invite_representative(representative, company, "colleague@example.cn")
    invitation.token = "replaced-token"
    assert audit.changes(invitation, ["token", "email"]) == {"token": []}


def test_private_note_text_is_recorded_by_name_only():
    from mentoring.models import PrivateNote

    assert audit.is_sensitive(PrivateNote, "text") is True
    assert audit.is_sensitive(PrivateNote, "updated_at") is False


def test_sensitive_change_shows_that_it_changed_without_the_value(client):
    officer = make_user(roles.OFFICER)
    person = make_user(roles.REVIEWER)
    person.set_password("another-secret-42")
    changes = audit.changes(person, ["password"])
    person.save()
    audit.record(person, "updated", actor=officer, changes=changes)
    client.force_login(officer)
    page = client.get(reverse("user_detail", args=[person.pk])).content.decode()
    assert "Password: changed (value not recorded)" in page
    assert "another-secret-42" not in page


def test_a_change_past_the_stored_length_is_recorded_shortened():
    company, representative = company_with_representative(description="a" * 600)
    company.description = "a" * 599 + "b"
    accounts.update_company(representative, company, ["description"])
    before, after = (
        AuditLog.objects.for_object(company).get(action="updated").changes["description"]
    )
    assert (before, after) == ("a" * 499 + "…", "a" * 499 + "…")


def test_unchanged_fields_are_left_out_of_the_changes():
    company, representative = company_with_representative(employees=6)
    edit_employees(company, representative, 6)
    assert AuditLog.objects.for_object(company).get(action="updated").changes == {}


def test_history_shows_a_reference_stored_as_text_or_as_an_id():
    company, representative = company_with_representative()
    invitation = CompanyInvitation.objects.create(
        company=company, email="colleague@example.cn", invited_by=representative, token="t" * 64
    )
    named = audit.record(invitation, "updated", changes={"invited_by": ["", "Wei Zhang"]})
    numbered = audit.record(invitation, "updated", changes={"invited_by": ["", representative.pk]})
    assert [audit.describe_changes(named)[0][2], audit.describe_changes(numbered)[0][2]] == [
        "Wei Zhang",
        str(representative),
    ]
