"""The REST API under /api/v1/ (Django REST framework, drf-spectacular).

The core lives here: personal tokens, authentication, rate limits, errors as problem bodies,
cursor pagination, the access log and idempotency keys. Each stage adds its resources in its own
``api.py`` and registers them with :data:`clinic.api.routes.router`. Endpoints are thin: they
scope with the stage's ``permissions.py`` and change state only through its services.
"""
