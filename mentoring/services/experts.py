"""Expert profiles: experts keep their own, officers any."""

from django.contrib.auth import get_user_model
from django.db import transaction

from clinic import roles
from clinic.services import audit
from clinic.text_search import natural
from clinic.transitions import Refused

from .. import permissions
from ..models import ExpertProfile

EXPERT_ORDER = (natural("last_name"), natural("first_name"), natural("username"))


def expert_users():
    """Active users holding the expert role."""
    return (
        get_user_model()
        .objects.filter(groups__name=roles.EXPERT, is_active=True)
        .order_by(*EXPERT_ORDER)
        .distinct()
    )


def profile_for(user):
    """The expert's profile, made empty on first use."""
    profile, _created = ExpertProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def save_profile(actor, profile, changed_fields=()):
    """Save an expert profile edited by the expert or an officer.

    Side-effects: the profile row (and its conflicts, which the form saves); audit record
    "expert_profile_updated" with the changed fields' before and after.
    """
    if not permissions.can_edit_profile(actor, profile):
        raise Refused("not_permitted")
    changes = audit.changes(profile)
    profile.save()
    audit.record(profile, "expert_profile_updated", actor=actor, changes=changes)
    return profile
