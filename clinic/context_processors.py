from . import permissions


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "is_officer": permissions.is_officer(user),
        "is_lead": permissions.is_lead(user),
        "is_sme": permissions.is_sme(user),
        "is_reviewer": permissions.is_reviewer(user),
        "is_expert": permissions.is_expert(user),
        "is_partner": permissions.is_partner(user),
    }
