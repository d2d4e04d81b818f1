"""Entering a card on the payment provider's own page (ACC-3): one path for sign-up and for the
Office Manager's card replacement (BILL-7).

``start`` gives the configured provider's card page: Stripe Checkout in setup mode, or the
sandbox's page. For Stripe it remembers, in the person's session under ``key``, the Checkout
Session it started and the Stripe customer it is for; ``finish`` reads the saved card back from
the provider and accepts only that session, so another person's session id saves nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.urls import reverse

from officeline.billing.payments import CardDetails, PaymentProviderError
from officeline.billing.payments.sandbox import SandboxProvider
from officeline.billing.payments.stripe import CardSetupIncomplete, StripeProvider

# What ``finish`` raises when no card was saved (abandoned, expired, foreign or unknown, or the
# provider out of reach): the person is asked to enter the card again.
CARD_NOT_SAVED = (ObjectDoesNotExist, ValueError, PaymentProviderError)


def stripe_configured() -> bool:
    return str(settings.PAYMENT_PROVIDER) == "stripe"


def start(
    request: HttpRequest,
    *,
    key: str,
    email: str,
    name: str,
    return_to: str,
    cancel_to: str,
    stripe_customer: str = "",
) -> str:
    """The URL of the provider's card page; back from it the person lands on ``return_to``.

    A Stripe customer is created only when neither ``stripe_customer`` nor an earlier start
    under ``key`` gave one. Raises ``PaymentProviderError`` when Stripe cannot be reached.
    """
    if not stripe_configured():
        return f"{reverse('portal:sandbox_pay')}?return_to={return_to}"
    earlier = request.session.get(key) or {}
    setup = StripeProvider().start_card_setup(
        email=email.strip().lower(),
        name=name,
        success_url=request.build_absolute_uri(return_to),
        cancel_url=request.build_absolute_uri(cancel_to),
        customer_id=stripe_customer or earlier.get("customer", ""),
    )
    request.session[key] = {"session": setup.session_id, "customer": setup.customer_id}
    return setup.url


def finish(request: HttpRequest, *, key: str) -> tuple[str, CardDetails]:
    """The provider's name and the card saved on its page; raises one of ``CARD_NOT_SAVED``."""
    if not stripe_configured():
        return "sandbox", SandboxProvider().card_details(request.GET.get("card_token", ""))
    started = request.session.get(key) or {}
    session_id = request.GET.get("session_id", "")
    if not session_id or session_id != started.get("session"):
        raise CardSetupIncomplete("not the Checkout Session started here")
    card = StripeProvider().finish_card_setup(session_id, customer_id=started.get("customer", ""))
    request.session.pop(key, None)
    return "stripe", card
