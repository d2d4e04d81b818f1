from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from officeline.support.choices import (
    Category,
    Channel,
    CloseReason,
    ComplaintState,
    DeadlineKind,
    DeadlockRefusal,
    DeliveryStatus,
    DisputeRoute,
    DisputeStatus,
    EscalationReason,
    LetterKind,
)


class Ticket(models.Model):
    """Anything a customer raises, at any hour (INFO-4); a complaint is a ticket marked as one."""

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="tickets"
    )
    reference = models.CharField(max_length=12, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what happened"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    raised_at = models.DateTimeField(db_index=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # CMP-1: a complaint made by an authorised representative of a customer with a disability.
    representative_name = models.CharField(max_length=200, blank=True)
    representative_authority = models.CharField(max_length=300, blank=True)
    representative_contact = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"


class Complaint(models.Model):
    """A complaint under the complaints code (CMP-1..14), with its stored deadlines.

    The clock starts at the ticket's first receipt. Each deadline is a row of
    ComplaintDeadline, computed when the step that starts it happens; the next
    one is copied to ``next_deadline_at`` for the staff queue.
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="complaint")
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="complaints"
    )
    state = models.CharField(
        max_length=24, choices=ComplaintState.choices, default=ComplaintState.RECEIVED
    )
    received_at = models.DateTimeField()
    technical = models.BooleanField(default=False)
    next_deadline_at = models.DateTimeField(null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    last_update_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(
        max_length=24, choices=EscalationReason.choices, blank=True
    )
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_resolution = models.TextField(blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    vexatious = models.BooleanField(default=False)
    out_of_jurisdiction = models.BooleanField(default=False)
    deadlock_refusal = models.CharField(max_length=24, choices=DeadlockRefusal.choices, blank=True)
    deadlock_letter_at = models.DateTimeField(null=True, blank=True)
    adr_notice_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "received_at"])]

    def __str__(self) -> str:
        return f"complaint {self.ticket.reference}"

    @property
    def is_open(self) -> bool:
        return self.state != ComplaintState.CLOSED


class ComplaintDeadline(models.Model):
    """One stored deadline of a complaint: met, breached (CMP), or still running."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, choices=DeadlineKind.choices)
    due_at = models.DateTimeField()
    started_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # What tick reads: running deadlines by due time, and nothing else.
            models.Index(
                fields=["due_at"],
                name="complaint_deadline_running",
                condition=Q(
                    met_at__isnull=True, breached_at__isnull=True, cancelled_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.met_at is None and self.breached_at is None and self.cancelled_at is None


class Letter(models.Model):
    """A written communication (CMP-7, INFO-3): a PDF in the customer's language and format."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    language = models.CharField(max_length=5)
    preferred_format = models.CharField(max_length=20)
    pdf = models.BinaryField()
    created_at = models.DateTimeField()
    delivery = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    posted_at = models.DateTimeField(null=True, blank=True)
    staff_task = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["delivery", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.complaint}"


class BillingDispute(models.Model):
    """A customer disputing a charge of one of their invoices (BILL-12), through a ticket."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="dispute")
    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="disputes"
    )
    route = models.CharField(max_length=20, choices=DisputeRoute.choices)
    status = models.CharField(max_length=20, choices=DisputeStatus.choices)
    # BILL-12: a written dispute must reach us within 10 days of the notice of the charge.
    dispute_by = models.DateTimeField()
    raised_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"dispute of {self.invoice_id} ({self.status})"
