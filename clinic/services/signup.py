"""Signing up: an SME and its company, usernames made from addresses, the verification mail. No
answer tells whether an address, a username or a company is registered (docs/rules.md)."""

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .. import ratelimit, roles
from ..models import Company, User
from ..transitions import Refused
from . import audit
from .outbox import queue_message

EMAIL_VERIFICATION_SALT = "clinic.email-verification"
EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 7


def password_set_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def register_sme(user, company):
    """Register an SME representative and their company (both unsaved instances).

    The answer never tells whether an address, a username or a company is known: the username
    is made from the address (``assign_username``), and:

    - an address that already has an account registers nothing: its owner gets the
      "signup_attempt" mail instead. Returns None.
    - a company already registered (same country and registration number) is not made again:
      the account is made as for a new sign-up (verification mail), without the company, and the
      company's representatives get the "signup_company_attempt" mail (who tried, and how to
      invite them). Once logged in with a verified address the account's My tasks show the next
      step (``clinic.todos.join_company``).

    Side-effects otherwise: user saved with the SME role and privacy consent time; company saved
    with the user as first representative; audit record; verification mail queued (RateLimited
    when the address had ``verification_mail`` messages enough this hour). Returns the user.
    """
    owner = User.objects.filter(email__iexact=user.email).first()
    if owner is not None:
        warn_owner_of_signup(owner)
        return None
    assign_username(user)
    user.privacy_consent_at = timezone.now()
    user.save()
    user.groups.add(Group.objects.get(name=roles.SME))
    existing = _registered_company(company)
    if existing is None:
        try:
            with transaction.atomic():
                company.save()
        except IntegrityError:  # registered by someone else a moment ago
            existing = _registered_company(company)
    if existing is not None:
        audit.record(existing, "registration_attempted", actor=user, reason=user.email)
        warn_representatives_of_signup(existing, user)
    else:
        company.representatives.add(user)
        audit.record(company, "registered", actor=user, to_state="registered")
    send_verification(user)
    return user


def _registered_company(company):
    return Company.objects.filter(
        country=company.country, registration_number__iexact=company.registration_number
    ).first()


def assign_username(user):
    """Give a new account (unsaved) its username, made from its address: the address itself when
    it is free and short enough, else its local part and a random suffix. Nobody chooses one, so
    no form tells whether a username is taken; people log in with their address
    (``clinic.forms.LoginForm``)."""
    email = user.email.strip().lower()
    if len(email) <= User._meta.get_field("username").max_length and not (
        User.objects.filter(username__iexact=email).exists()
    ):
        user.username = email
    else:
        user.username = unique_username(email)
    return user


def warn_owner_of_signup(owner):
    """Mail the owner of a known address that someone tried to register with it, with a link to
    set a new password (sensitive). Over the ``verification_mail`` limit nothing is sent, silently:
    the sign-up answers the same either way."""
    if ratelimit.hit("verification_mail", owner.email):
        queue_message(owner, "signup_attempt", {"link": password_set_url(owner)}, sensitive=True)


def warn_representatives_of_signup(company, applicant):
    """Tell a registered company's representatives that ``applicant`` tried to register the
    company again, and how to invite them as a colleague. At most ``verification_mail`` such
    mails an hour per company (silently: the sign-up answers the same either way)."""
    if not ratelimit.hit("verification_mail", f"company:{company.pk}"):
        return
    link = reverse("company_invite", args=[company.pk])
    for representative in company.representatives.filter(is_active=True):
        queue_message(
            representative,
            "signup_company_attempt",
            {"company": company, "applicant": applicant, "link": link},
            related=company,
        )


def send_verification(user):
    """Queue the email-verification mail (sensitive: it carries a sign-in link).

    RateLimited when the address had ``verification_mail`` messages enough this hour.
    """
    ratelimit.check("verification_mail", user.email)
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_VERIFICATION_SALT)
    link = reverse("verify_email", kwargs={"token": token})
    return queue_message(user, "verify_email", {"link": link}, sensitive=True)


def verify_email(token):
    """Mark the email of the token's user verified. Returns the user or None for a bad token.

    Side-effects: ``email_verified_at`` set; audit record.
    """
    try:
        data = signing.loads(
            token, salt=EMAIL_VERIFICATION_SALT, max_age=EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        return None
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit.record(user, "email_verified", actor=user, to_state="verified")
    return user


def unique_username(email):
    base = email.split("@")[0][:100] or "user"
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{get_random_string(4).lower()}"
    return username


def account_of(email):
    """The account of an invitation's address, if it has one (its join page then asks its owner
    to log in and join with it)."""
    return User.objects.filter(email__iexact=email).first()


def joining_account(email, user):
    """The account that joins through an invitation to ``email``: ``user`` unsaved (a new one:
    saved with that address, verified, its username made from it, privacy consent) or the
    logged-in account of that address. Refused: a new account for an address that has one
    (``wrong_state``), an account of another address (``not_permitted``)."""
    if user.pk is not None:
        if user.email.lower() != email.lower():
            raise Refused("not_permitted", _("This invitation is for another address."))
        return user
    if account_of(email) is not None:
        raise Refused(
            "wrong_state",
            _("An account for this address exists already: log in with it to join."),
        )
    user.email = email
    assign_username(user)
    user.email_verified_at = timezone.now()
    user.privacy_consent_at = timezone.now()
    user.save()
    return user
