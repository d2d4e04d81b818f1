from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")
    UNPAID = "unpaid", _("Unpaid")
    CREDITED = "credited", _("Credited")


class RefundStatus(models.TextChoices):
    """Where the refund of a credit note on a paid invoice stands."""

    PENDING = "pending", _("Refund under way")
    SUCCEEDED = "succeeded", _("Refunded to the card")
    FAILED = "failed", _("Refund refused by the payment provider")


class ChargeKind(models.TextChoices):
    MONTHLY_FEE = "monthly_fee", _("Monthly fee")
    PRO_RATA_FEE = "pro_rata_fee", _("Monthly fee, part period")
    SETUP_FEE = "setup_fee", _("Setup fee")
    REACTIVATION_FEE = "reactivation_fee", _("Reactivation fee")
    USAGE = "usage", _("Calls")
    THIRD_PARTY = "third_party", _("Third-party charge")
    THIRD_PARTY_FEE = "third_party_fee", _("Service fee on third-party charges")
    ABNORMAL_USAGE = "abnormal_usage", _("Calls in a period of abnormal use, at commercial rates")
    # BILL-8: charged for an invoice paid after its due date; outside the scope of VAT.
    LATE_INTEREST = "late_interest", _("Late-payment interest")
    RECOVERY_FEE = "recovery_fee", _("Fixed compensation for recovery costs")


# BILL-8: the charges for paying an earlier invoice late; each names that invoice.
LATE_PAYMENT_KINDS = frozenset({ChargeKind.LATE_INTEREST, ChargeKind.RECOVERY_FEE})


class TerminationKind(models.TextChoices):
    """Who ends the service and on which ground (LIFE-2, LIFE-3, BILL-7, BILL-8)."""

    CUSTOMER = "customer", _("At the customer's request")
    CONVENIENCE = "convenience", _("By the operator, with 15 days' written notice")
    CARRIER_AGREEMENT_ENDED = "carrier_agreement_ended", _("The carrier agreement ended")
    NON_PAYMENT = "non_payment", _("Non-payment after warnings")
    PAYMENT_STOPPED = "payment_stopped", _("Payment stopped at the bank")
    BREACH = "breach", _("Breach not remedied after written notice")
    INSOLVENCY = "insolvency", _("Insolvency")
    REGULATORY_CHANGE = "regulatory_change", _("Regulatory change")
    # AUP-3, AUP-4: abnormal use not remedied after review, or a prohibited use.
    ABNORMAL_USE = "abnormal_use", _("Abnormal or prohibited use (acceptable use policy)")


# BILL-7, BILL-8: the grounds on which the card on file has just failed (declined through the
# dunning, or the payment stopped at the bank): it is not charged again after the termination.
CARD_FAILED_GROUNDS = frozenset({TerminationKind.NON_PAYMENT, TerminationKind.PAYMENT_STOPPED})


class Plan(models.TextChoices):
    """A line's calling plan (BILL-11, AUP-2).

    The standard plan's monthly fee includes calls for normal small-business use
    (terms 3(a): "unlimited" voice calling); the commercial plan charges each call by
    the minute at the price list's commercial rates.
    """

    STANDARD = "standard", _("Standard monthly plan, calls included")
    COMMERCIAL = "commercial", _("Commercial per-minute plan")


class ThirdPartySource(models.TextChoices):
    """Who reported a third-party charge (BILL-10)."""

    CARRIER = "carrier", _("Reported by the carrier")
    STAFF = "staff", _("Recorded by staff")
