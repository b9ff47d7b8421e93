"""The OpenAPI description: every operation documents its problem answers (400, 401, 403, 404,
409, 429 with the ``Problem`` body) beside its success."""

from drf_spectacular import openapi

from .views import Problem

ERRORS = {
    "400": "invalid: the body or a parameter is not valid (see fields)",
    "401": "not_authenticated: no token, or an unknown, expired or revoked one",
    "403": "not_permitted: the caller may see this but not do it",
    "404": "not_found: outside the caller's scope, or does not exist",
    "409": "wrong_state or stale: the object is no longer in a state that allows it",
    "422": "idempotency_key_reused: the Idempotency-Key was used for another request",
    "429": "rate_limited: see Retry-After",
}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        problem = self._get_response_for_code(Problem, "400", direction=direction)
        for code, description in ERRORS.items():
            responses.setdefault(code, {**problem, "description": description})
        return responses


# Bounds that come from the database backend's integer columns, not from our validators:
# SQLite reports 64-bit ranges where PostgreSQL has 16- and 32-bit ones.
BACKEND_BOUNDS = {-(2**63), 2**63 - 1, -(2**31), 2**31 - 1, -(2**15), 2**15 - 1, 2**31, 2**15}


def without_backend_bounds(result, generator, request, public):
    """Postprocessing hook: drop the integer bounds of the database backend, so the committed
    schema is the same whichever database generated it (our own limits stay)."""

    def clean(node):
        if isinstance(node, dict):
            for key in ("maximum", "minimum"):
                value = node.get(key)
                if isinstance(value, int) and value in BACKEND_BOUNDS:
                    del node[key]
            if node.get("format") == "int64" and "maximum" not in node:
                del node["format"]
            for value in node.values():
                clean(value)
        elif isinstance(node, list):
            for value in node:
                clean(value)

    clean(result)
    return result
