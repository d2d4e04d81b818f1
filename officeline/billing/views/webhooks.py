"""Stripe's webhooks: signed events, verified before anything is read (BILL-7).

The signature is Stripe's (HMAC-SHA256 of ``"<timestamp>.<body>"`` with the
endpoint's secret); the timestamp must be within the tolerance of
``clock.now()``, so a recorded event cannot be replayed later. Handled: the
card updater's ``payment_method.automatically_updated`` (and
``payment_method.updated``), which changes the stored card without new
consent. Other events are acknowledged and ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from officeline import clock
from officeline.billing.payments.base import CardDetails
from officeline.billing.services.cards import apply_network_card_update

log = logging.getLogger(__name__)

CARD_EVENTS = {"payment_method.automatically_updated", "payment_method.updated"}


class BadWebhook(ValueError):
    pass


def verify(payload: bytes, header: str, secret: str, now: dt.datetime) -> dict[str, Any]:
    """The event, once its signature and its age are checked; BadWebhook names what is wrong."""
    if not secret:
        raise BadWebhook("webhooks are not configured")
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, tolerance=None)
    except stripe.SignatureVerificationError:
        raise BadWebhook("invalid signature") from None
    stamps = [p.split("=", 1)[1] for p in header.split(",") if p.startswith("t=")]
    try:
        sent = dt.datetime.fromtimestamp(int(stamps[0]), tz=dt.UTC)
    except (IndexError, ValueError):
        raise BadWebhook("the signature has no timestamp") from None
    if abs((now - sent).total_seconds()) > settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS:
        raise BadWebhook("the event is too old or from the future")
    try:
        event = json.loads(payload)
    except ValueError:
        raise BadWebhook("the body is not JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise BadWebhook("the body is not an event")
    return event


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = verify(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            clock.now(),
        )
    except BadWebhook as exc:
        return JsonResponse({"code": "bad_webhook", "message": str(exc)}, status=400)
    if event["type"] in CARD_EVENTS:
        method = event.get("data", {}).get("object", {})
        card = method.get("card") or {}
        try:
            details = CardDetails(
                token="",
                brand=str(card["brand"]),
                last4=str(card["last4"]),
                exp_month=int(card["exp_month"]),
                exp_year=int(card["exp_year"]),
            )
            method_id = str(method["id"])
        except (KeyError, TypeError, ValueError):
            return JsonResponse(
                {"code": "bad_webhook", "message": "the payment method has no card"}, status=400
            )
        updated = apply_network_card_update(provider="stripe", method_id=method_id, card=details)
        log.info("stripe card update applied to %s stored card(s)", updated)
    return JsonResponse({"received": True})
