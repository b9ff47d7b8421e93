"""Demo API tokens with known secrets (demo data only), so the README's curl examples run."""

from datetime import timedelta

from django.utils import timezone

from .models import APIToken, User
from .services.api_tokens import digest

DEMO_TOKENS = {"officer": "ipc_demo_officer", "sme1": "ipc_demo_sme1"}


def seed(demo):
    for username, secret in DEMO_TOKENS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        APIToken.objects.update_or_create(
            digest=digest(secret),
            defaults={
                "user": user,
                "name": "Demo",
                "prefix": secret[:10],
                "expires_at": timezone.now() + timedelta(days=365),
                "revoked_at": None,
            },
        )
    demo["log"]("API tokens: " + ", ".join(f"{u} {s}" for u, s in DEMO_TOKENS.items()))
