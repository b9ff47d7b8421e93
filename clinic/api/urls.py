from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from . import assets, core, ipaudit, webhooks  # noqa: F401 - register the core resources
from .routes import paths, router
from .schema_view import CachedSchemaView

public = login_not_required

urlpatterns = [
    path("v1/", include(router.urls)),
    *(path(f"v1/{route}", view.as_view(), name=name) for route, view, name in paths),
    path("schema/", public(CachedSchemaView.as_view(permission_classes=[])), name="api_schema"),
    path(
        "docs/",
        # a cheap page rendered by a template: no rate limit (its errors would be HTML pages)
        public(
            SpectacularSwaggerSplitView.as_view(
                url_name="api_schema", permission_classes=[], throttle_classes=[]
            )
        ),
        name="api_docs",
    ),
]
