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
