"""Model-side helpers for viewflow processes (the flows themselves live in flows.py)."""


class ArtifactProcess:
    """Mixin for a proxy of viewflow's Process whose artifact is one ``artifact_model`` row.

    ``load_artifact()`` reads that row with ``artifact_related`` joined: afresh each call (flow
    gateways decide on its current state) unless ``cache_artifact``; ``summary`` is its summary.
    """

    artifact_model = None
    artifact_related = ()
    cache_artifact = False

    def load_artifact(self):
        if self.cache_artifact and hasattr(self, "_artifact_row"):
            return self._artifact_row
        row = (
            self.artifact_model.objects.select_related(*self.artifact_related)
            .filter(pk=self.artifact_object_id)
            .first()
        )
        if self.cache_artifact:
            self._artifact_row = row
        return row

    @property
    def summary(self):
        artifact = self.load_artifact()
        return artifact.summary if artifact else ""
