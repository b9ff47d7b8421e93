"""The signed-in user's API tokens: make one (its secret shown once), see them, revoke one."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..models import APIToken
from ..services import api_tokens
from ..transitions import Refused

EXPIRY_CHOICES = [
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
    (180, gettext_lazy("180 days")),
    (365, gettext_lazy("1 year")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Token name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. the system that uses it."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Expires after"), choices=EXPIRY_CHOICES, coerce=int, initial=90
    )


@never_cache
def token_list(request):
    """The user's tokens; a POST makes one and shows its secret on this answer only."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = api_tokens.create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["days"]
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            form = TokenForm()
    tokens = APIToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "secret": secret}
    return render(request, "clinic/api_tokens.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(APIToken, pk=pk, user=request.user)
    api_tokens.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api_tokens")
