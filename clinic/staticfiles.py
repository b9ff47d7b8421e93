"""Static files storage for production: whitenoise's compressed manifest storage."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ManifestStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files; a reference to a file that no package ships is kept as
    written instead of failing collectstatic (bootstrap's bundle names a source map we do not
    vendor; viewflow's roboto CSS names font files viewflow does not include)."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is not None:
                raise
            logger.debug("Static reference %s names a missing file; kept unhashed", name)
            return name
