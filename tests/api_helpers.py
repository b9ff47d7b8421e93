"""Calling the API as another system would: with a personal token, every answer checked
against the committed OpenAPI file (docs/openapi.yaml)."""

import functools
import re
from pathlib import Path

import jsonschema
import yaml
from rest_framework.test import APIClient

from clinic.services import api_tokens

OPENAPI = Path(__file__).resolve().parents[1] / "docs" / "openapi.yaml"


@functools.cache
def openapi():
    return yaml.safe_load(OPENAPI.read_text())


def json_schema(node):
    """OpenAPI 3.0's schema dialect as JSON Schema: ``nullable: true`` allows null."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def operation(method, path):
    """The OpenAPI operation that answers ``method path`` (templated paths match any id; a
    path of its own, such as ``quota-rules/feasibility/``, before a template)."""
    exact = openapi()["paths"].get(path, {})
    if method.lower() in exact:
        return exact[method.lower()]
    for template, operations in openapi()["paths"].items():
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in docs/openapi.yaml")


def check_against_openapi(response):
    """The answer's status and body are the ones the OpenAPI file documents."""
    request = response.request
    documented = operation(request["REQUEST_METHOD"], request["PATH_INFO"])["responses"]
    status = str(response.status_code)
    assert status in documented, f"{status} of {request['PATH_INFO']} is not documented"
    content = documented[status].get("content", {})
    if not content:
        assert not response.content, f"{request['PATH_INFO']} answers a body it does not document"
        return
    media_type = response.get("Content-Type", "").split(";")[0]
    assert media_type in content, f"{media_type} of {request['PATH_INFO']} is not documented"
    if media_type != "application/json":
        return
    schema = {**content[media_type]["schema"], "components": openapi()["components"]}
    jsonschema.validate(response.json(), json_schema(schema))


class CheckedAPIClient(APIClient):
    """An APIClient whose every answer is checked against the OpenAPI file."""

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        check_against_openapi(response)
        return response


def token_client(user, name="CRM sync", days=30):
    """A checked client that sends a fresh token of ``user``; returns (client, token)."""
    token, secret = api_tokens.create_token(user, name, days)
    client = CheckedAPIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, token


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def assert_queries_do_not_grow(client, path, grow, rows):
    """``GET path`` makes as many queries after ``grow()`` added rows as before; the list then
    holds ``rows`` rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    grow()
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]
    assert len(response.json()["results"]) == rows
