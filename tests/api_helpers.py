"""Calling the API as a person with a personal token, the way another system would."""

from rest_framework.test import APIClient

from clinic.services import api_tokens


def token_client(user, name="CRM sync", days=30):
    """An APIClient that sends a fresh token of ``user``; returns (client, token)."""
    token, secret = api_tokens.create_token(user, name, days)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, token


def ids(response):
    return [row["id"] for row in response.json()["results"]]
