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


class ChargeKind(models.TextChoices):
    MONTHLY_FEE = "monthly_fee", _("Monthly fee")
    PRO_RATA_FEE = "pro_rata_fee", _("Monthly fee, part period")
    SETUP_FEE = "setup_fee", _("Setup fee")
    REACTIVATION_FEE = "reactivation_fee", _("Reactivation fee")
    USAGE = "usage", _("Calls")
    THIRD_PARTY = "third_party", _("Third-party charges")
