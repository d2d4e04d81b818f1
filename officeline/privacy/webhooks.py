"""The carrier's inbound-SMS webhook: a reply to a marketing text, checked and handled (PRIV-4).

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

from officeline.privacy.services import handle_inbound_sms
from officeline.privacy.sms_carrier import ForgedInboundText, MalformedInboundText, get_carrier


def _refused(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": "bad_webhook", "message": message}, status=status)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    try:
        text = get_carrier().read(payload=request.body, headers=request.headers)
    except ForgedInboundText as exc:
        return _refused(403, str(exc))
    except MalformedInboundText as exc:
        return _refused(400, str(exc))
    try:
        inbound = handle_inbound_sms(
            from_number=text.from_number, body=text.body, carrier_message_id=text.message_id
        )
    except ValidationError as exc:
        return _refused(400, " ".join(" ".join(m) for m in exc.message_dict.values()))
    return JsonResponse({"received": True, "outcome": inbound.outcome})
