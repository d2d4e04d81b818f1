from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    """PRIV-1: the lawful bases a register entry can rest on."""

    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")


class MarketingChannel(models.TextChoices):
    """PRIV-4: marketing is consented to per channel."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")


class ConsentMethod(models.TextChoices):
    """PRIV-4: how a marketing consent was given or withdrawn."""

    SIGNUP_FORM = "signup_form", _("Sign-up form")
    PORTAL = "portal", _("Portal account page")
    UNSUBSCRIBE_LINK = "unsubscribe_link", _("Unsubscribe link in an email")
    UNSUBSCRIBE_EMAIL = "unsubscribe_email", _("Unsubscribe email")
    STOP_REPLY = "stop_reply", _("STOP reply to a text message")
    STAFF = "staff", _("Recorded by staff")


class InboundSmsOutcome(models.TextChoices):
    """PRIV-4: what an inbound text message did."""

    OPTED_OUT = "opted_out", _("Opted out of marketing texts")
    NOTHING_TO_STOP = "nothing_to_stop", _("Opt-out with no marketing consent to withdraw")
    REJECTED = "rejected", _("Not an opt-out; rejected")


class CookieChoiceValue(models.TextChoices):
    """PRIV-5: the two answers of the cookie banner (functionality and targeting are not used)."""

    NECESSARY = "necessary", _("Only strictly necessary cookies")
    PERFORMANCE = "performance", _("Strictly necessary and performance cookies")


class RequestKind(models.TextChoices):
    """PRIV-6, PRIV-7: what a person asks about their own personal data."""

    ACCESS = "access", _("Access: a copy of my personal data")
    RECTIFICATION = "rectification", _("Rectification: correct my personal data")
    ERASURE = "erasure", _("Erasure: delete my personal data")


class RequestChannel(models.TextChoices):
    """PRIV-6: how a privacy request reached the operator."""

    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    TICKET = "ticket", _("Support ticket")
    STAFF = "staff", _("Recorded by staff (phone, letter)")


# PRIV-6: the person asks with their own login (portal or API token), which verifies them.
SELF_SERVICE_CHANNELS = frozenset({RequestChannel.PORTAL, RequestChannel.API})


class RequestState(models.TextChoices):
    """PRIV-6, PRIV-7: where a privacy request stands."""

    RECEIVED = "received", _("Received: identity to verify")
    AWAITING_PROOF = "awaiting_proof", _("Waiting for more proof of identity")
    VERIFIED = "verified", _("Identity verified: being answered")
    COMPLETED = "completed", _("Request answered")

    @classmethod
    def open_states(cls) -> list[str]:
        return [cls.RECEIVED, cls.AWAITING_PROOF, cls.VERIFIED]


class VerificationMethod(models.TextChoices):
    """PRIV-6: how the requester's identity was verified."""

    PORTAL_LOGIN = "portal_login", _("Logged in to the portal with their password")
    EMAIL_ON_FILE = "email_on_file", _("Confirmed from the email address on file")
    CALLBACK_ON_FILE = "callback_on_file", _("Called back on the phone number on file")
    DOCUMENT = "document", _("Further proof of identity (asked for because of a reasonable doubt)")


class FeeGround(models.TextChoices):
    """PRIV-6 (D): the only grounds on which a privacy request may carry a fee."""

    MANIFESTLY_UNFOUNDED = "manifestly_unfounded", _("Manifestly unfounded")
    EXCESSIVE = "excessive", _("Excessive")
    REPEATED = "repeated", _("Repeated")
