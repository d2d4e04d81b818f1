from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.billing.choices import (
    ChargeKind,
    InvoiceKind,
    InvoiceStatus,
    Plan,
    RefundStatus,
    TerminationKind,
    ThirdPartySource,
)
from officeline.billing.money import Money
from officeline.billing.sandbox_models import (  # noqa: F401  (models of this app)
    SandboxCard,
    SandboxCarrierCharge,
    SandboxCharge,
    SandboxRefund,
)
from officeline.markets.choices import MarketCode


class PaymentMethod(models.Model):
    """A customer's card, as the payment provider's token only (ACC-3).

    The card number never touches our storage: the provider's page tokenizes
    it and we keep the token, brand, last four digits and expiry.
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="payment_methods"
    )
    provider = models.CharField(max_length=20)  # "sandbox", "stripe"
    token = models.CharField(max_length=200)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    is_default = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    # BILL-6: when the customer revoked, in writing, the authority to charge this card,
    # and until when that authority still runs (30 days after the revocation).
    revoked_at = models.DateTimeField(null=True, blank=True)
    authorised_until = models.DateTimeField(null=True, blank=True)
    # PRIV-8: when the card stopped being the customer's card on file (replaced by another,
    # its authority ended after a revocation, or the contract ended); the register's
    # retention of payment tokens counts from here.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "token"], name="payment_method_token_unique"
            ),
        ]
        indexes = [
            # PRIV-8: the removed cards, read by the retention run in the order of removal.
            models.Index(
                fields=["removed_at"],
                name="payment_method_removed",
                condition=models.Q(removed_at__isnull=False),
            ),
        ]
        verbose_name = _("payment method")

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4} ({self.exp_month:02d}/{self.exp_year})"


class PriceList(models.Model):
    """The operator's prices in a market from a date on (BILL-1, BILL-10, BILL-11, LIFE-4).

    Price lists are versions: the one in force on a day is the latest whose
    ``effective_from`` is not after it. A version is never edited once in force;
    a change is a new version scheduled ahead (LIFE-5, BILL-13).
    """

    market = models.CharField(max_length=2, choices=MarketCode.choices)
    currency = models.CharField(max_length=3)
    effective_from = models.DateField()
    monthly_fee_minor = models.PositiveBigIntegerField(_("monthly fee per line"))
    setup_fee_minor = models.PositiveBigIntegerField(_("setup fee per line"), default=0)
    reactivation_fee_minor = models.PositiveBigIntegerField(_("reactivation fee"), default=0)
    # BILL-10: third-party charges are passed on at cost plus this service fee.
    third_party_fee_bp = models.PositiveIntegerField(_("third-party service fee"), default=0)
    # BILL-11: the commercial per-minute plan, minor units per minute by destination type.
    per_minute_minor = models.JSONField(_("commercial per-minute rates"), default=dict)
    disadvantages_customers = models.BooleanField(default=False)
    announced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["market", "effective_from"], name="price_list_one_per_day"
            ),
        ]
        ordering = ["market", "-effective_from"]
        verbose_name = _("price list")

    def __str__(self) -> str:
        return f"{self.market} prices from {self.effective_from}"


class BillingAccount(models.Model):
    """A customer's billing: one period anchor for all its lines (BILL-3)."""

    customer = models.OneToOneField(
        "accounts.Customer", on_delete=models.CASCADE, related_name="billing_account"
    )
    market = models.CharField(max_length=2, choices=MarketCode.choices)
    anchor = models.DateField(help_text="the billing start of the account's first line")
    # The run issues the account's next invoice on this day, in the market's time zone.
    next_period_start = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The run takes due accounts in (day, id) order, a batch at a time: the index
            # gives that order, so each batch reads only its own rows.
            models.Index(
                fields=["market", "next_period_start", "id"],
                condition=models.Q(next_period_start__isnull=False),
                name="billing_account_due_order",
            ),
        ]

    def __str__(self) -> str:
        return f"billing account of customer {self.customer_id}"


class Subscription(models.Model):
    """A line's monthly fee from its billing start (BILL-1, BILL-2)."""

    account = models.ForeignKey(
        BillingAccount, on_delete=models.CASCADE, related_name="subscriptions"
    )
    line = models.OneToOneField("lines.Line", on_delete=models.PROTECT, related_name="subscription")
    billing_starts_on = models.DateField()
    # BILL-3: a line added after the account's anchor is first billed pro rata, on an
    # invoice of its own issued at its billing start; this is that day until issued.
    pro_rata_due_on = models.DateField(null=True, blank=True)
    # No period starting on or after this day is billed (LIFE-3, BILL-4).
    ends_before = models.DateField(null=True, blank=True)
    # The first invoice carrying this line (and its setup fee), once issued.
    first_billed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(
                fields=["pro_rata_due_on", "id"],
                condition=models.Q(pro_rata_due_on__isnull=False),
                name="subscription_pro_rata_order",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription of line {self.line_id}"


class InvoiceSequence(models.Model):
    """One unbroken invoice number sequence per market (BILL-5).

    The row is locked while numbers are taken, in the transaction that creates
    the invoices, so a rolled-back run gives its numbers back and two workers
    never take the same one.
    """

    market = models.CharField(max_length=2, choices=MarketCode.choices, unique=True)
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.market} invoices up to {self.last_number}"


class Invoice(models.Model):
    """An issued VAT invoice or credit note (BILL-5). Issued invoices never change."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="invoices"
    )
    market = models.CharField(max_length=2, choices=MarketCode.choices)
    kind = models.CharField(max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    # A credit note names the invoice it corrects and why.
    credits = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    reason = models.CharField(max_length=300, blank=True)
    number = models.CharField(max_length=20, unique=True)
    sequence = models.PositiveBigIntegerField()
    # What issued it, so that a run that is repeated or resumed never issues it twice.
    run_key = models.CharField(max_length=80, unique=True)
    currency = models.CharField(max_length=3)
    language = models.CharField(max_length=5)
    issued_at = models.DateTimeField()
    issued_on = models.DateField()
    due_on = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField(help_text="the day after the last day billed")
    net_minor = models.BigIntegerField()
    vat_minor = models.BigIntegerField()
    total_minor = models.BigIntegerField()
    # Who supplied and who bought, as they were on the day of issue.
    supplier = models.JSONField()
    buyer = models.JSONField()
    status = models.CharField(
        max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # The next collection attempt (BILL-1, BILL-8); null once paid or given up.
    collect_at = models.DateTimeField(null=True, blank=True)
    collection_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["market", "sequence"], name="invoice_sequence_unique"),
        ]
        indexes = [
            models.Index(fields=["customer", "-issued_at"], name="invoice_customer_recent"),
            models.Index(
                fields=["collect_at", "id"],
                condition=models.Q(collect_at__isnull=False),
                name="invoice_collect_order",
            ),
        ]
        ordering = ["-issued_at", "-sequence"]
        verbose_name = _("invoice")

    def __str__(self) -> str:
        return self.number

    @property
    def net(self) -> Money:
        return Money(self.net_minor, self.currency)

    @property
    def vat(self) -> Money:
        return Money(self.vat_minor, self.currency)

    @property
    def total(self) -> Money:
        return Money(self.total_minor, self.currency)


class InvoiceLine(models.Model):
    """One charge of an invoice, with its own VAT rounded once (DESIGN: per line)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ChargeKind.choices)
    # The line's number, when the charge is for a line.
    phone_number = models.CharField(max_length=20, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # Pro rata charges: days billed out of the days of the period.
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    days_in_period = models.PositiveSmallIntegerField(null=True, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    unit_minor = models.BigIntegerField()
    net_minor = models.BigIntegerField()
    vat_rate_bp = models.PositiveIntegerField()
    vat_minor = models.BigIntegerField()
    # Calls (BILL-11): the destination type they are rated by (usage.DestinationType).
    destination = models.CharField(max_length=16, blank=True)
    # A third-party charge (BILL-10): who billed it and what, as the third party said.
    description = models.CharField(max_length=200, blank=True)
    # The service fee on third-party charges: its percentage of ``unit_minor`` (BILL-10).
    fee_bp = models.PositiveIntegerField(null=True, blank=True)
    # Late-payment interest (BILL-8): the annual rate of its days (a half-year's rate).
    annual_rate_bp = models.PositiveIntegerField(null=True, blank=True)
    # On a credit note: the position of the line it credits on the corrected invoice.
    credits_position = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position"),
        ]
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.position} {self.kind}"

    @property
    def total_minor(self) -> int:
        return self.net_minor + self.vat_minor


class LatePaymentCharge(models.Model):
    """BILL-8: what one invoice owes for being paid after its due date, charged once.

    Recorded when the invoice is paid late (interest runs until the day of payment),
    or, for an invoice still unpaid when the whole service ends, on the final invoice
    (interest runs until that day, and not after). The interest and the market's fixed
    recovery fee go on the customer's next invoice; ``invoice_line`` is the recovery
    fee's line once billed. One per invoice: an invoice's interest is charged once.
    """

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, related_name="late_payment_charge"
    )
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="late_payment_charges"
    )
    debt_minor = models.PositiveBigIntegerField(help_text="the invoice's total, incl. VAT")
    currency = models.CharField(max_length=3)
    due_on = models.DateField()
    # The last day interest runs: the day of payment, or of the final invoice.
    until = models.DateField()
    recorded_at = models.DateTimeField()
    invoice_line = models.ForeignKey(
        "InvoiceLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="late_payment_charges",
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["customer", "due_on"],
                condition=models.Q(invoice_line__isnull=True),
                name="late_payment_charge_unbilled",
            ),
        ]
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"late payment of invoice {self.invoice_id} ({self.due_on} to {self.until})"


class Payment(models.Model):
    """One attempt to collect an invoice from the card on file; never updated after."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    attempt = models.PositiveSmallIntegerField()
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider = models.CharField(max_length=20)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    outcome = models.CharField(max_length=20)
    provider_reference = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=200, blank=True)
    attempted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "attempt"], name="payment_attempt_unique"),
        ]
        ordering = ["invoice", "attempt"]

    def __str__(self) -> str:
        return f"{self.invoice_id} attempt {self.attempt}: {self.outcome}"


class Refund(models.Model):
    """A credit note on a paid invoice, paid back to the card that paid it (BILL-5).

    One per credit note; its idempotency key names the credit note, so asking the
    provider again after a crash or an unreachable provider never refunds twice.
    """

    credit_note = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="refund")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=100, unique=True)
    provider = models.CharField(max_length=20)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    provider_reference = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField()
    refunded_at = models.DateTimeField(null=True, blank=True)
    # While pending: when the provider is asked (again, when it could not be reached).
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["retry_at", "id"],
                condition=models.Q(retry_at__isnull=False),
                name="refund_retry_order",
            ),
        ]
        ordering = ["invoice", "requested_at", "pk"]

    def __str__(self) -> str:
        return f"refund of {self.credit_note_id}: {self.status}"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)


class Termination(models.Model):
    """The end of a line or of the whole service, with the moment it takes effect (LIFE-2, LIFE-3)."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="terminations"
    )
    # Null: the whole service, every line.
    line = models.ForeignKey(
        "lines.Line", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=TerminationKind.choices)
    note = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_at = models.DateTimeField()
    # BILL-4: whether the period starting next was still billed.
    next_period_billed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["effective_at"],
                condition=models.Q(completed_at__isnull=True),
                name="termination_due",
            ),
        ]
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.customer_id})"


class AbnormalUsePeriod(models.Model):
    """A period of abnormal or prohibited use stated when the operator ends the service for it
    (AUP-4): its calls are billed at the commercial rates on the final invoice."""

    termination = models.ForeignKey(
        Termination, on_delete=models.CASCADE, related_name="abnormal_periods"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["termination", "starts_at"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} to {self.ends_at:%Y-%m-%d}"


class PortingCompensation(models.Model):
    """PORT-2: a written claim for a port completed after its due date, and its payment.

    One per port: once paid, it settles that delay in full.
    """

    port = models.OneToOneField(
        "lines.PortRequest", on_delete=models.PROTECT, related_name="compensation"
    )
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="porting_compensations"
    )
    claim = models.TextField(_("written claim"))
    claimed_at = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    days_late = models.PositiveIntegerField()
    monthly_fee_minor = models.PositiveBigIntegerField()
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return f"{self.port} ({self.amount})"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)


class LinePlan(models.Model):
    """Which plan a line is on from a moment on (BILL-11, AUP-2); rows are never changed.

    The plan in force at an instant is the latest row whose ``effective_at`` is not
    after it; a line without a row is on the standard plan. A call is rated by the
    plan in force when it started.
    """

    line = models.ForeignKey("lines.Line", on_delete=models.PROTECT, related_name="+")
    plan = models.CharField(max_length=20, choices=Plan.choices)
    effective_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["line", "effective_at"], name="line_plan_history")]
        ordering = ["line", "effective_at", "pk"]

    def __str__(self) -> str:
        return f"line {self.line_id}: {self.plan} from {self.effective_at:%Y-%m-%d %H:%M}"


class BilledCall(models.Model):
    """One call charged on an invoice line (BILL-11), listed on the itemized statement.

    A call is billed at most once (the one-to-one link). What the statement prints is
    copied here, so the invoice stays whole after the call record itself is deleted
    under the traffic-data retention (PRIV-8).
    """

    invoice_line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, related_name="calls")
    call = models.OneToOneField(
        "usage.CallRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="billed",
    )
    started_at = models.DateTimeField()
    to_number = models.CharField(max_length=64)
    duration_seconds = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    rate_minor = models.BigIntegerField()
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["invoice_line", "started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.to_number} {self.minutes} min"


class ThirdPartyCharge(models.Model):
    """A charge a third party billed to one of our numbers (BILL-10, terms 4(h)).

    Premium-rate, directory or other services reported by the carrier (or recorded
    by staff from its statement), passed on at cost plus the price list's service
    fee on the customer's next invoice. ``invoice_line`` is set when it is billed.
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="third_party_charges"
    )
    line = models.ForeignKey("lines.Line", on_delete=models.PROTECT, related_name="+")
    phone_number = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=ThirdPartySource.choices)
    # The carrier's own reference: a charge reported twice is recorded once.
    reference = models.CharField(max_length=100, blank=True)
    service = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField()
    cost_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invoice_line = models.ForeignKey(
        InvoiceLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="third_party_charges",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"],
                condition=~models.Q(reference=""),
                name="third_party_charge_reported_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["customer", "occurred_at"],
                condition=models.Q(invoice_line__isnull=True),
                name="third_party_charge_unbilled",
            ),
        ]
        ordering = ["occurred_at", "pk"]

    def __str__(self) -> str:
        return f"{self.service} {self.cost_minor} {self.currency} on {self.phone_number}"
