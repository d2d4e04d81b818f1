from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    POST = "post", _("Post")


class Category(models.TextChoices):
    BILLING = "billing", _("Billing")
    TECHNICAL = "technical", _("Calls, lines or equipment")
    PORTING = "porting", _("Number porting")
    SERVICE = "service", _("Customer service")
    PRIVACY = "privacy", _("Personal data")
    OTHER = "other", _("Something else")


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_REVIEW = "in_review", _("Being reviewed")
    WITH_SUPERVISOR = "with_supervisor", _("With a supervisor")
    WITH_ENGINEERING = "with_engineering", _("With engineering or our carrier")
    ESCALATED = "escalated", _("With the Director of Customer Service")
    RESOLUTION_PROPOSED = "resolution_proposed", _("Resolution proposed")
    CLOSED = "closed", _("Closed")

    @classmethod
    def open_states(cls) -> list[str]:
        return [s for s in cls.values if s != cls.CLOSED]


class CloseReason(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("Resolved at first contact")
    CONFIRMED = "confirmed", _("Resolution confirmed by the customer")
    AUTO_CLOSED = "auto_closed", _("Closed as resolved: no reply within 5 business days")


class EscalationReason(models.TextChoices):
    """CMP-9 and CMP-10: why a complaint goes to the Director of Customer Service."""

    CUSTOMER_UNHAPPY = "customer_unhappy", _("The customer is unhappy with the handling")
    CANNOT_RESOLVE = "cannot_resolve", _("Support cannot resolve it")
    SIGNIFICANT_HARM = "significant_harm", _("Significant harm")
    URGENT = "urgent", _("Urgency")
    VULNERABLE = "vulnerable", _("A vulnerable customer")
    REPETITION = "repetition", _("The same complaint again")


class DeadlockRefusal(models.TextChoices):
    """CMP-11: the only grounds on which a deadlock letter may be refused."""

    TIMELY_RESOLUTION = (
        "timely_resolution",
        _("There are genuine and reasonable grounds that it will be resolved in a timely manner"),
    )
    VEXATIOUS = "vexatious", _("The complaint is vexatious")
    OUT_OF_JURISDICTION = "out_of_jurisdiction", _("It is outside the ADR scheme's jurisdiction")


class DeadlineKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge (CMP-3)")
    REVIEW = "review", _("Representative review (CMP-4)")
    ENGINEERING = "engineering", _("Engineering or carrier target (CMP-4)")
    UPDATE = "update", _("Next update to the customer (CMP-5)")
    RESOLVE = "resolve", _("Resolution within 8 weeks (CMP-6)")
    DIRECTOR = "director", _("Director's decision (CMP-9)")
    AUTO_CLOSE = "auto_close", _("Close if no reply (CMP-8)")

    @classmethod
    def promises(cls) -> list[str]:
        """Deadlines whose passing is a breach (auto-close is an action, not a promise)."""
        return [k for k in cls.values if k != cls.AUTO_CLOSE]


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    UPDATE = "update", _("Update")
    OUTCOME = "outcome", _("Outcome")
    PROPOSED_RESOLUTION = "proposed_resolution", _("Proposed resolution")
    DIRECTOR_DECISION = "director_decision", _("Director's decision")
    DEADLOCK = "deadlock", _("Deadlock letter")
    DEADLOCK_REFUSED = "deadlock_refused", _("Deadlock letter refused")
    ADR_NOTICE = "adr_notice", _("Notice of the right to ADR")


class DeliveryStatus(models.TextChoices):
    EMAILED = "emailed", _("Emailed")
    TO_PRINT = "to_print", _("Waiting to be printed and posted")
    POSTED = "posted", _("Posted")
    STAFF_TASK = "staff_task", _("Sent by staff as the customer asked")


class DisputeRoute(models.TextChoices):
    """BILL-12: how a customer disputes a charge."""

    WRITTEN = "written", _("Written dispute (within 10 days of the notice)")
    COMPLAINT = "complaint", _("Complaint under the complaints code (micro-business)")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REFUSED_LATE = "refused_late", _("Refused: raised more than 10 days after the notice")
