from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language

from .. import permissions, ratelimit, roles
from ..forms import (
    AcceptInvitationForm,
    InviteUserForm,
    LoginForm,
    OutboxPasswordResetForm,
    ReasonForm,
    RolesForm,
    SignUpCompanyForm,
    SignUpUserForm,
    search_text,
)
from ..models import CompanyInvitation, User
from ..search import PEOPLE_FIELDS
from ..services import accounts, audit, signup
from ..text_search import matching, natural
from ..transitions import Refused

LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


@method_decorator(login_not_required, name="dispatch")
class SignUpView(View):
    template_name = "registration/signup.html"

    def get(self, request):
        # Both languages start as the page's: a Chinese sign-up corresponds in Chinese.
        language = request.LANGUAGE_CODE
        return self.render(
            SignUpUserForm(prefix="user", initial={"preferred_language": language}),
            SignUpCompanyForm(prefix="company", initial={"correspondence_language": language}),
        )

    def post(self, request):
        user_form = SignUpUserForm(request.POST, prefix="user")
        company_form = SignUpCompanyForm(request.POST, prefix="company")
        if not (user_form.is_valid() and company_form.is_valid()):
            return self.render(user_form, company_form)
        try:
            ratelimit.check("signup", ratelimit.client_ip(request))
            signup.register_sme(user_form.save(commit=False), company_form.save(commit=False))
        except ratelimit.RateLimited as refusal:
            return self.render(user_form, company_form, refusal)
        # The same answer whether the address was new or already had an account (whose owner
        # was mailed instead), and whether the company was new or already registered (its
        # representatives were told): nobody learns which addresses or companies are registered.
        messages.success(
            request,
            _(
                "Thank you for registering. We sent a message to %(email)s: open the link in it "
                "to confirm your address, then log in with your email address and password."
            )
            % {"email": user_form.cleaned_data["email"]},
        )
        return redirect("login")

    def render(self, user_form, company_form, refusal=None):
        context = {"user_form": user_form, "company_form": company_form}
        if refusal is not None:
            return ratelimit.too_many_requests(self.request, refusal, self.template_name, context)
        return render(self.request, self.template_name, context)


class LoginView(auth_views.LoginView):
    """Log in; answers 429 (the username kept) while the client IP's failed log-ins are used up."""

    form_class = LoginForm

    def form_invalid(self, form):
        if form.rate_limited is not None:
            context = self.get_context_data(form=form)
            return ratelimit.too_many_requests(
                self.request, form.rate_limited, self.template_name, context
            )
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; 429 (the address kept) over ``reset_mail`` for the address."""

    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ratelimit.RateLimited as refusal:
            context = self.get_context_data(form=form)
            return ratelimit.too_many_requests(self.request, refusal, self.template_name, context)


@login_not_required
@require_safe
def verify_email(request, token):
    user = signup.verify_email(token)
    if user is None:
        messages.error(request, _("This verification link is invalid or has expired."))
    else:
        messages.success(request, _("Thank you, your email address is verified."))
    return redirect("home" if request.user.is_authenticated else "login")


def resend_verification(request):
    if request.method == "POST" and request.user.email_verified_at is not None:
        # The form shows only while the address is unverified: a tab left open from before.
        messages.info(request, _("Your email address is verified."))
        return redirect("home")
    if request.method == "POST":
        try:
            signup.send_verification(request.user)
        except ratelimit.RateLimited as refusal:
            return ratelimit.too_many_requests(
                request, refusal, "registration/resend_verification.html"
            )
        messages.success(
            request,
            _("We sent a new verification link to %(email)s.") % {"email": request.user.email},
        )
        return redirect("home")
    return render(request, "registration/resend_verification.html")


@method_decorator(login_not_required, name="dispatch")
class AcceptCompanyInvitationView(View):
    template_name = "registration/accept_invitation.html"

    def get_invitation(self, token):
        return get_object_or_404(
            CompanyInvitation.objects.select_related("company"), token=token, accepted_at=None
        )

    def get(self, request, token):
        invitation = self.get_invitation(token)
        return self.render(invitation, AcceptInvitationForm())

    def post(self, request, token):
        invitation = self.get_invitation(token)
        existing = signup.account_of(invitation.email)
        if existing is not None:  # its owner joins with it once logged in as it
            if request.user != existing:
                return self.render(invitation, None)
            user = accounts.accept_representative_invitation(invitation, request.user)
        else:
            form = AcceptInvitationForm(request.POST)
            if not form.is_valid():
                return self.render(invitation, form)
            user = accounts.accept_representative_invitation(invitation, form.save(commit=False))
            login(request, user, backend=LOGIN_BACKEND)
        messages.success(
            request, _("You now represent %(company)s.") % {"company": invitation.company}
        )
        return redirect("home")

    def render(self, invitation, form):
        return render(
            self.request,
            self.template_name,
            {"invitation": invitation, "form": form, **joining(self.request, invitation)},
        )


def joining(request, invitation):
    """What an invitation's join page shows when its address has an account: ``existing`` (no
    form for a new account then) and ``joins_as`` when that account is the one logged in."""
    existing = signup.account_of(invitation.email)
    if existing is None:
        return {"existing": False}
    return {
        "existing": True,
        "form": None,
        "joins_as": existing if request.user == existing else None,
    }


def officer_required(view):
    def wrapped(request, *args, **kwargs):
        if not permissions.can_manage_users(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@officer_required
@require_safe
def user_list(request):
    query = search_text(request.GET.get("q"))
    role = request.GET.get("role", "")
    users = matching(
        User.objects.prefetch_related("groups"),
        query,
        PEOPLE_FIELDS,
        order=(natural("username"), "pk"),
    )
    if role in roles.ROLE_LABELS:
        users = users.filter(groups__name=role)
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "clinic/user_list.html",
        {"page": page, "query": query, "role": role, "role_labels": roles.ROLE_LABELS},
    )


@officer_required
def invite_user(request):
    form = InviteUserForm(
        request.POST or None, initial={"language": request.LANGUAGE_CODE}, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.invite_user(
                request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role_names=data["roles"],
                language=data["language"],
            )
        except Refused as error:
            form.add_error("roles", str(error))
        except ratelimit.RateLimited as refusal:
            context = {"form": form}
            return ratelimit.too_many_requests(request, refusal, "clinic/user_invite.html", context)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
            return redirect("user_detail", pk=user.pk)
    return render(request, "clinic/user_invite.html", {"form": form})


@officer_required
@require_safe
def user_detail(request, pk):
    user = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    current = [group.name for group in user.groups.all()]
    roles_form = RolesForm(initial={"roles": current}, actor=request.user)
    return render(
        request,
        "clinic/user_detail.html",
        {
            "person": user,
            "roles_form": roles_form,
            "roles_refusal": permissions.role_change_refusal(request.user, user, current),
            "active_refusal": permissions.active_change_refusal(request.user, user),
            "reason_form": ReasonForm(),
            "history": audit.history(user)[:50],
        },
    )


@officer_required
@require_POST
def change_roles(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = RolesForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(
            request, _("Only a programme lead may grant, change or remove the lead role.")
        )
        return redirect("user_detail", pk=pk)
    try:
        accounts.set_roles(request.user, user, form.cleaned_data["roles"])
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Roles updated."))
    return redirect("user_detail", pk=pk)


@officer_required
@require_POST
def set_active(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if request.POST.get("active") == "1":
            accounts.reactivate_user(request.user, user)
            messages.success(request, _("Account reactivated."))
        elif not form.is_valid():
            messages.error(request, _("Give a reason for deactivating the account."))
        else:
            accounts.deactivate_user(request.user, user, form.cleaned_data["reason"])
            messages.success(request, _("Account deactivated."))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("user_detail", pk=pk)


@require_POST
@login_not_required
def switch_language(request):
    """Switch the interface language; signed-in users keep it as their preferred language."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response
