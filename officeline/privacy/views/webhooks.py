"""The providers' webhooks for opting out (PRIV-4): the carrier's inbound SMS (a reply to a
marketing text) and the mail provider's unsubscribe mailbox (an email to the ``mailto:`` of
List-Unsubscribe), each checked and handled.

A request not signed by the carrier is refused with 403 and read no further; a
signed one that holds no text, or whose sender is not a valid number, with
400 naming the problem. Both change nothing. A text is handed to
``services.handle_inbound_sms`` with the carrier's message id, which withdraws
the SMS consent on STOP; a retried delivery of the same message is answered as
the first was and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from officeline.privacy.mailbox import get_mailbox
from officeline.privacy.services.sms_replies import handle_inbound_sms
from officeline.privacy.services.unsubscribe import handle_unsubscribe_email
from officeline.privacy.signed_json import ForgedRequest, MalformedRequest
from officeline.privacy.sms_carrier import get_carrier


def _refused(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": "bad_webhook", "message": message}, status=status)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    try:
        text = get_carrier().read(payload=request.body, headers=request.headers)
    except ForgedRequest as exc:
        return _refused(403, str(exc))
    except MalformedRequest as exc:
        return _refused(400, str(exc))
    try:
        inbound = handle_inbound_sms(
            from_number=text.from_number, body=text.body, carrier_message_id=text.message_id
        )
    except ValidationError as exc:
        return _refused(400, _messages(exc))
    return JsonResponse({"received": True, "outcome": inbound.outcome})


@csrf_exempt
@require_POST
def unsubscribe_email(request: HttpRequest) -> HttpResponse:
    """An email to the unsubscribe mailbox: ``unsubscribe <token>`` withdraws the consent the
    token names, as the link does; a second one changes nothing."""
    try:
        subject = get_mailbox().subject(payload=request.body, headers=request.headers)
    except ForgedRequest as exc:
        return _refused(403, str(exc))
    except MalformedRequest as exc:
        return _refused(400, str(exc))
    try:
        _person, channel, row = handle_unsubscribe_email(subject=subject)
    except ValidationError as exc:
        return _refused(400, _messages(exc))
    return JsonResponse({"received": True, "channel": channel, "withdrawn": row is not None})


def _messages(exc: ValidationError) -> str:
    return " ".join(" ".join(m) for m in exc.message_dict.values())
