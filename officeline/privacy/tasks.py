"""The worker's privacy jobs."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from officeline.privacy.services.exports import make_export


@db_task()
def build_export(request_id: int, actor_id: int | None = None) -> int | None:
    """PRIV-6: build the archive answering an access request (see ``services.exports.make_export``)."""
    export = make_export(request_id, actor_id)
    return export.pk if export is not None else None
