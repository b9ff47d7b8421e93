"""The one router of /api/v1/: each stage registers its viewsets from its own ``api.py``
(imported by its AppConfig.ready), so the core never names a stage."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter(use_regex_path=False)
# Endpoints that are not resources: (route, view class, name).
paths = []


def register(prefix, viewset, basename=None):
    router.register(prefix, viewset, basename=basename)
    return viewset


def add_path(route, view, name):
    paths.append((route, view, name))
    return view
