import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from clinic import permissions, roles
from clinic.models import AuditLog, Company, OutboxMessage, User
from clinic.services import accounts, signup
from tests.factories import CompanyFactory, company_with_representative, make_user
from tests.refusals import refused

pytestmark = pytest.mark.django_db

SIGNUP = {
    "user-email": "founder@greenco.cn",
    "user-first_name": "Mei",
    "user-last_name": "Lin",
    "user-preferred_language": "zh-hans",
    "user-password1": "Blue-Hydrogen-2026",
    "user-password2": "Blue-Hydrogen-2026",
    "user-privacy_consent": "on",
    "company-legal_name": "GreenCo Water Ltd.",
    "company-local_name": "绿色水务有限公司",
    "company-registration_number": "91110000ABC",
    "company-country": "CN",
    "company-region": "Beijing",
    "company-city": "Beijing",
    "company-green_area": "water",
    "company-founding_year": "2016",
    "company-employees": "14",
    "company-annual_turnover": "8000000",
    "company-turnover_currency": "CNY",
    "company-correspondence_language": "zh-hans",
}


def test_roles_exist_after_migrate_with_officer_permissions():
    roles.ensure_roles()
    roles.ensure_roles()
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(roles.ROLE_LABELS)
    officer = make_user(roles.OFFICER)
    assert officer.has_perm("cohorts.add_cohort") is True
    assert make_user(roles.SME).has_perm("cohorts.add_cohort") is False


def test_signup_creates_user_company_and_verification_message(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="founder@greenco.cn")
    assert user.username == "founder@greenco.cn"
    company = Company.objects.get(registration_number="91110000ABC")
    assert list(company.representatives.all()) == [user]
    assert permissions.is_sme(user) is True
    assert user.privacy_consent_at is not None
    assert user.email_verified_at is None
    assert company.size_class == "small"
    message = OutboxMessage.objects.get(recipient=user, kind="verify_email")
    assert (message.status, message.sensitive, message.language) == ("sent", True, "zh-hans")
    assert len(mail.outbox) == 1
    assert AuditLog.objects.for_object(company).values_list("action", flat=True)[0] == "registered"


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("company-employees", "-3", "Ensure this value is greater than or equal to 0."),
        ("company-annual_turnover", "-1", "Ensure this value is greater than or equal to 0."),
        ("company-legal_name", "", "This field is required."),
        ("company-turnover_currency", "XYZ", "Select a valid choice."),
        ("user-privacy_consent", "", "You must accept the privacy notice to register."),
    ],
)
def test_signup_with_bad_input_shows_error_and_creates_nothing(client, field, value, error):
    response = client.post(reverse("signup"), {**SIGNUP, field: value})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.filter(email="founder@greenco.cn").exists() is False
    assert Company.objects.count() == 0


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_signup_form_defaults_languages_to_the_page_language(client, language):
    response = client.get(reverse("signup"), HTTP_ACCEPT_LANGUAGE=language)
    user_form, company_form = response.context["user_form"], response.context["company_form"]
    assert (
        user_form["preferred_language"].value(),
        company_form["correspondence_language"].value(),
    ) == (language, language)


def test_signup_same_registration_number_in_other_country_is_accepted(client):
    CompanyFactory(registration_number="91110000ABC", country="HK")
    response = client.post(reverse("signup"), SIGNUP)
    assert response.status_code == 302
    assert Company.objects.count() == 2


def test_verify_email_with_valid_token_marks_user_verified(client):
    user = make_user(roles.SME, email_verified_at=None)
    message = signup.send_verification(user)
    link = message.body.split("http://127.0.0.1:8000")[1].split()[0]
    response = client.get(link)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_verify_email_with_forged_token_changes_nothing(client):
    user = make_user(roles.SME, email_verified_at=None)
    client.get(reverse("verify_email", kwargs={"token": "forged"}))
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_officer_invites_expert_who_sets_password_through_link(
    client, django_capture_on_commit_callbacks
):
    officer = make_user(roles.OFFICER)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("user_invite"),
            {
                "email": "mentor@ipfirm.cn",
                "first_name": "Hui",
                "last_name": "Sun",
                "roles": [roles.EXPERT],
                "language": "en",
            },
        )
    assert response.status_code == 302
    expert = User.objects.get(email="mentor@ipfirm.cn")
    assert permissions.is_expert(expert) is True
    assert expert.has_usable_password() is False
    message = OutboxMessage.objects.get(recipient=expert, kind="invitation")
    assert message.sensitive is True
    link = message.body.split("http://127.0.0.1:8000")[1].split()[0]
    client.logout()
    response = client.get(link, follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Mentor-Green-77", "new_password2": "Mentor-Green-77"},
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.check_password("Mentor-Green-77") is True


@pytest.mark.parametrize("role", [roles.SME, roles.REVIEWER, roles.EXPERT])
def test_non_officer_cannot_reach_user_management(client, role):
    client.force_login(make_user(role))
    assert client.get(reverse("user_list")).status_code == 404
    assert client.get(reverse("user_invite")).status_code == 404


def test_officer_changes_roles_and_the_change_is_audited():
    officer = make_user(roles.OFFICER)
    person = make_user(roles.REVIEWER)
    accounts.set_roles(officer, person, [roles.REVIEWER, roles.EXPERT])
    assert sorted(person.groups.values_list("name", flat=True)) == ["expert", "reviewer"]
    entry = AuditLog.objects.for_object(person).get(action="roles_changed")
    assert (entry.from_state, entry.to_state, entry.actor_name) == (
        "reviewer",
        "expert,reviewer",
        officer.username,
    )


def test_officer_cannot_grant_lead_role_but_lead_can():
    officer = make_user(roles.OFFICER)
    lead = make_user(roles.LEAD)
    person = make_user(roles.OFFICER)
    with refused("not_permitted"):
        accounts.set_roles(officer, person, [roles.OFFICER, roles.LEAD])
    accounts.set_roles(lead, person, [roles.OFFICER, roles.LEAD])
    assert permissions.is_lead(person) is True


def test_sme_cannot_change_roles_at_service_level():
    with refused("not_permitted"):
        accounts.set_roles(make_user(roles.SME), make_user(roles.REVIEWER), [roles.OFFICER])


def test_deactivated_user_cannot_log_in(client):
    officer = make_user(roles.OFFICER)
    person = make_user(roles.EXPERT)
    accounts.deactivate_user(officer, person, "Left the firm")
    person.refresh_from_db()
    assert person.is_active is False
    response = client.post(
        reverse("login"), {"username": person.username, "password": "s3cure-Passw0rd!"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_officer_cannot_deactivate_themselves():
    officer = make_user(roles.OFFICER)
    with refused("not_permitted"):
        accounts.deactivate_user(officer, officer, "oops")


def test_representative_invites_colleague_who_joins_company(
    client, django_capture_on_commit_callbacks
):
    company, representative = company_with_representative()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = accounts.invite_representative(representative, company, "cto@greenco.cn")
    response = client.post(
        reverse("accept_company_invitation", kwargs={"token": invitation.token}),
        {
            "first_name": "Tao",
            "last_name": "Wu",
            "preferred_language": "zh-hans",
            "password1": "Carbon-Neutral-99",
            "password2": "Carbon-Neutral-99",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    colleague = User.objects.get(email="cto@greenco.cn")
    assert colleague.username == "cto@greenco.cn"
    assert sorted(company.representatives.values_list("username", flat=True)) == sorted(
        [representative.username, "cto@greenco.cn"]
    )
    second = client.get(reverse("accept_company_invitation", kwargs={"token": invitation.token}))
    assert second.status_code == 404


def test_other_sme_cannot_invite_to_a_company_they_do_not_represent():
    company, _representative = company_with_representative()
    outsider = make_user(roles.SME)
    with refused("not_permitted"):
        accounts.invite_representative(outsider, company, "x@example.org")


def test_login_is_throttled_after_repeated_failures(client, settings):
    make_user(roles.SME, username="target")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "target", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "target", "password": "s3cure-Passw0rd!"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def test_weak_password_is_refused_at_signup(client):
    response = client.post(
        reverse("signup"), {**SIGNUP, "user-password1": "12345678", "user-password2": "12345678"}
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_language_switch_updates_preferred_language(client):
    user = make_user(roles.SME)
    client.force_login(user)
    client.post(reverse("switch_language"), {"language": "zh-hans", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"
    assert "我的任务" in client.get(reverse("home")).content.decode()
