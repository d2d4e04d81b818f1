"""PRIV-6: an access request answered with the copy of the person's data.

``send_export`` queues the worker's job after its transaction commits
(``privacy.tasks.build_export``, which runs ``exports.make_export``). It is apart from
``rights`` and ``exports`` so that neither of them imports the worker's task.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from officeline import clock
from officeline.accounts.permissions import require_capability
from officeline.actors import Actor
from officeline.privacy.choices import RequestKind
from officeline.privacy.models import PrivacyRequest
from officeline.privacy.services import rights
from officeline.privacy.tasks import build_export


def send_export(*, request: PrivacyRequest, actor: Actor) -> PrivacyRequest:
    """PRIV-6: answer a verified access request with the copy of the person's data.

    The worker builds the archive after this commits (``privacy.tasks.build_export``),
    then answers the request and emails the person a download link.
    """
    require_capability(actor, rights.ANSWERING_CAPABILITY)
    with transaction.atomic():
        request = rights.lock_request(request)
        if request.kind != RequestKind.ACCESS:
            raise rights.RequestRefused(
                _("Only an access request is answered with a copy of the data."),
                field="kind",
                code="not_access",
            )
        rights.require_verified(request)
        now = clock.now()
        rights.request_event(request, "export_queued", actor, now)
        request_id = request.pk
        actor_id = actor.pk if actor is not None else None

        def queue() -> None:
            build_export(request_id, actor_id)

        transaction.on_commit(queue)
    return request
