"""The participant page's card for the assessment, the action plan and the follow-up reports."""

from django import template

from .. import permissions
from ..models import Assessment, FollowUpReport

register = template.Library()


@register.inclusion_tag("mentoring/_plan_card.html", takes_context=True)
def plan_card(context, participation):
    """What the user may see: experts and officers the assessment and plan pages; everyone in
    scope the signed versions (the SME sees nothing unsigned) and the follow-up reports."""
    user = context["request"].user
    staff = permissions.can_see_assessment(user, participation)
    versions = permissions.visible_plan_versions(user).filter(participation=participation)
    return {
        "participation": participation,
        "staff": staff,
        "assessment": Assessment.objects.filter(participation=participation).first()
        if staff
        else None,
        "signed": list(
            versions.filter(signed_at__isnull=False).select_related("signed_by").order_by("-number")
        ),
        "reports": list(FollowUpReport.objects.filter(participation=participation)),
        "is_representative": permissions.is_representative_of(user, participation),
    }
