"""Sign-up tells nobody which usernames, addresses or companies are registered: the answer is the
same, and the owners of what was typed are told instead."""

import re

import pytest
from django.urls import reverse

from clinic import permissions, roles
from clinic.models import AuditLog, Company, OutboxMessage, User
from clinic.services import accounts, signup
from clinic.todos import todos_for
from mentoring.matchmaking.models import PartnerOrganisation
from mentoring.matchmaking.services import partners
from tests.api_helpers import token_client
from tests.clinic.test_accounts import SIGNUP
from tests.factories import CompanyFactory, company_with_representative, make_user
from tests.mentoring.matchmaking.helpers import officer, partner
from tests.mentoring.matchmaking.test_partners_and_wipo import _registration
from tests.refusals import refused

pytestmark = pytest.mark.django_db
PASSWORD = "s3cure-Passw0rd!"


def answer(client, data):
    """The page a sign-up ends on, without the typed address and the masked CSRF tokens."""
    response = client.post(reverse("signup"), data, follow=True)
    text = response.content.decode().replace(data["user-email"], "ADDRESS")
    return response.redirect_chain, re.sub(r"[A-Za-z0-9]{64}", "CSRF", text)


def masked(response):
    return re.sub(r"[A-Za-z0-9]{64}", "CSRF", response.content.decode())


def signup_data(n, **changes):
    return {
        **SIGNUP,
        "user-email": f"founder{n}@greenco.cn",
        "company-legal_name": f"GreenCo {n} Ltd.",
        "company-registration_number": f"9111000{n:04d}",
        **changes,
    }


def test_signup_with_a_registered_company_answers_as_a_new_one_and_tells_its_representatives(
    client,
):
    representative = make_user(roles.SME, email="boss@greenco.cn", preferred_language="en")
    company = CompanyFactory(
        registration_number="91110000REG", country="CN", representatives=[representative]
    )
    new = answer(client, signup_data(1))
    taken = answer(client, signup_data(2, **{"company-registration_number": "91110000reg"}))
    assert taken == new
    assert new[0] == [(reverse("login"), 302)]
    applicant = User.objects.get(email="founder2@greenco.cn")
    assert (Company.objects.count(), applicant.companies.count()) == (2, 0)
    assert list(company.representatives.all()) == [representative]
    warning = OutboxMessage.objects.get(kind="signup_company_attempt")
    assert (warning.recipient, warning.sensitive) == (representative, False)
    assert "founder2@greenco.cn" in warning.body
    assert reverse("company_invite", args=[company.pk]) in warning.body
    assert OutboxMessage.objects.filter(recipient=applicant, kind="verify_email").count() == 1
    assert AuditLog.objects.for_object(company).values_list("action", flat=True)[0] == (
        "registration_attempted"
    )


def test_company_attempt_mails_stop_at_the_mail_limit(client):
    CompanyFactory(registration_number="91110000REG", representatives=[make_user(roles.SME)])
    for n in range(4):
        data = signup_data(n, **{"company-registration_number": "91110000REG"})
        assert client.post(reverse("signup"), data, REMOTE_ADDR=f"192.0.2.{n}").status_code == 302
    assert OutboxMessage.objects.filter(kind="signup_company_attempt").count() == 3


def test_signup_asks_no_username_so_a_taken_one_is_never_told(client):
    make_user(roles.SME, username="greenco")
    make_user(roles.SME, username="founder2@greenco.cn", email="someone@else.cn")
    form = client.get(reverse("signup")).context["user_form"]
    assert "username" not in form.fields
    plain = answer(client, signup_data(1))
    clash = answer(client, signup_data(2, **{"user-username": "greenco"}))
    assert clash == plain
    first, second = (User.objects.get(email=f"founder{n}@greenco.cn") for n in (1, 2))
    assert first.username == "founder1@greenco.cn"
    assert second.username == "founder2"  # the address is another account's username


def test_an_account_logs_in_with_its_address_and_failures_count_for_the_account(client, settings):
    user = make_user(roles.SME, username="mei", email="mei@greenco.cn", password=PASSWORD)
    login = reverse("login")
    response = client.post(login, {"username": "MEI@greenco.cn", "password": PASSWORD})
    assert (response.status_code, client.session["_auth_user_id"]) == (302, str(user.pk))
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT):
        typed = "mei" if n % 2 else "mei@greenco.cn"
        client.post(login, {"username": typed, "password": "wrong"})
    assert client.post(login, {"username": "mei", "password": PASSWORD}).status_code == 429


def test_an_account_without_a_company_sees_the_next_step_once_its_address_is_verified(client):
    CompanyFactory(registration_number="91110000REG")
    client.post(reverse("signup"), signup_data(1, **{"company-registration_number": "91110000REG"}))
    applicant = User.objects.get(email="founder1@greenco.cn")
    assert [t.title for t in todos_for(applicant)] == ["Verify your email address"]
    signup.verify_email(signup.send_verification(applicant).body.split("/verify/")[1].split("/")[0])
    applicant.refresh_from_db()
    assert [t.url for t in todos_for(applicant)] == [reverse("no_company")]
    applicant.preferred_language = "en"  # the page's English text is checked
    applicant.save(update_fields=["preferred_language"])
    client.force_login(applicant)
    page = client.get(reverse("no_company")).content.decode()
    assert "ask one of its representatives to invite you" in page
    # The navigation's "My company" leads there too (not to a 404).
    assert client.get(reverse("company_list")).url == reverse("no_company")


def test_partner_registration_with_a_known_address_answers_the_same_and_mails_the_owner(client):
    owner = make_user(roles.SME, email="rep@city.example.org")
    other = {**_registration(), "person-email": "new@city.example.org"}
    fresh = client.post(reverse("matchmaking:partner_register"), other)
    known = client.post(reverse("matchmaking:partner_register"), _registration())
    assert (known.status_code, masked(known)) == (fresh.status_code, masked(fresh))
    assert PartnerOrganisation.objects.count() == 1
    assert User.objects.filter(email="rep@city.example.org").get() == owner
    warning = OutboxMessage.objects.get(to_email="rep@city.example.org")
    assert (warning.kind, warning.recipient) == ("signup_attempt", owner)
    newcomer = User.objects.get(email="new@city.example.org")
    assert newcomer.username == "new@city.example.org"
    assert OutboxMessage.objects.filter(recipient=newcomer, kind="verify_email").count() == 1


JOIN_FORM = {
    "first_name": "Tao",
    "last_name": "Wu",
    "preferred_language": "en",
    "password1": "Carbon-Neutral-99",
    "password2": "Carbon-Neutral-99",
    "privacy_consent": "on",
}


def join_pages(client, url, owner, stranger):
    """The join page of an invitation to ``owner``'s address: anonymous, a stranger, the owner."""
    anonymous = client.post(url, JOIN_FORM)
    client.force_login(stranger)
    other = client.post(url, {"join": "1"})
    client.force_login(owner)
    shown = client.get(url).content.decode()
    return anonymous, other, shown, client.post(url, {"join": "1"})


def test_an_invitation_to_an_address_with_an_account_joins_with_that_account(client):
    company, representative = company_with_representative()
    owner = make_user(roles.EXPERT, email="cto@greenco.cn", first_name="Tao", last_name="Wu")
    invitation = accounts.invite_representative(representative, company, "CTO@greenco.cn")
    url = reverse("accept_company_invitation", args=[invitation.token])
    anonymous, other, shown, joined = join_pages(client, url, owner, make_user(roles.SME))
    assert (anonymous.status_code, other.status_code, joined.status_code) == (200, 200, 302)
    assert "exists already. Log in with it" in anonymous.content.decode()
    assert "Join with my account" in shown
    assert User.objects.filter(email__iexact="cto@greenco.cn").count() == 1
    assert list(company.representatives.order_by("pk")) == [representative, owner]
    assert permissions.is_sme(owner) and permissions.is_expert(owner)


def test_a_partner_invitation_to_an_address_with_an_account_joins_with_that_account(client):
    organisation, _rep = partner()
    owner = make_user(roles.SME, email="new@utility.example.org")
    invitation = partners.invite(officer(), organisation, "new@utility.example.org", "en")
    url = reverse("matchmaking:join", args=[invitation.token])
    anonymous, other, shown, joined = join_pages(client, url, owner, make_user(roles.SME))
    assert (anonymous.status_code, other.status_code, joined.status_code) == (200, 200, 302)
    assert "Join with my account" in shown
    assert organisation.representatives.filter(pk=owner.pk).exists()
    assert owner.groups.filter(name=roles.PARTNER).exists()


def company_data(company, **changes):
    fields = [*Company.IDENTITY_FIELDS, "annual_turnover", "turnover_currency"]
    data = {name: getattr(company, name) for name in fields}
    return {**data, "country": "CN", "correspondence_language": "en", **changes}


def test_a_representative_never_learns_whether_a_registration_number_is_taken(client):
    CompanyFactory(registration_number="TAKEN-1")
    company, representative = company_with_representative()
    client.force_login(representative)
    url = reverse("company_edit", args=[company.pk])
    pages = [
        client.post(url, company_data(company, registration_number=number)).content.decode()
        for number in ("TAKEN-1", "FREE-2")
    ]
    assert ["The programme team changes the registration number" in p for p in pages] == [
        True,
        True,
    ]
    assert ["already registered" in p for p in pages] == [False, False]
    api, _token = token_client(representative)
    answers = [
        api.patch(f"/api/v1/companies/{company.pk}/", {"registration_number": n}).json()
        for n in ("TAKEN-1", "FREE-2")
    ]
    assert answers[0] == answers[1]
    with refused("not_permitted"):
        company.registration_number = "FREE-2"
        accounts.update_company(representative, company, ["registration_number"])
    assert Company.objects.get(pk=company.pk).registration_number != "FREE-2"


def test_an_officer_changes_a_companys_registration_number(client):
    company, _representative = company_with_representative()
    client.force_login(make_user(roles.OFFICER))
    data = company_data(company, registration_number="new-99")
    assert client.post(reverse("company_edit", args=[company.pk]), data).status_code == 302
    assert Company.objects.get(pk=company.pk).registration_number == "NEW-99"
