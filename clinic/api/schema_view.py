"""/api/schema/: the OpenAPI description, generated once per language, format and version in
the process. Generating and rendering it took 0.3-0.7 s a request; it changes only with the
code (and, in tests, with the settings that shape it)."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView

_rendered = {}  # (language, media type, version) -> (content, content type, disposition)

SHAPING_SETTINGS = {"REST_FRAMEWORK", "SPECTACULAR_SETTINGS", "ROOT_URLCONF", "LANGUAGES"}


class CachedSchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), request.accepted_media_type, version)
        if key not in _rendered:
            response = super()._get_schema_response(request)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()  # in the language asked for (``lang``), as the generation was
            _rendered[key] = (
                response.content,
                response["Content-Type"],
                response["Content-Disposition"],
            )
        content, content_type, disposition = _rendered[key]
        return HttpResponse(
            content, content_type=content_type, headers={"Content-Disposition": disposition}
        )


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in SHAPING_SETTINGS:
        _rendered.clear()
