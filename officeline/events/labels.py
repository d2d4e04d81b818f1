"""What an event is called where a person reads it: the portal's recent activity and a ticket's
timeline, in the reader's language. The code of the action (``billing.invoice_issued``) is for
the API and the staff; a customer never reads it.

Every action recorded as visible to the customer has its label here (a test checks those the
code names); an action without one is named by its app, never by its code.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, Promise] = {
    # accounts
    "accounts.signed_up": _("Account opened"),
    "accounts.customer_details_changed": _("Business details changed"),
    "accounts.notice_to_customer": _("Notice from us"),
    "accounts.notice_to_operator": _("Notice sent to us"),
    "accounts.email_change_requested": _("New account email waiting for its confirmation"),
    "accounts.login_email_changed": _("Login email changed after its confirmation"),
    # billing
    "billing.subscription_started": _("Line subscription started"),
    "billing.invoice_issued": _("Invoice issued"),
    "billing.invoice_paid": _("Invoice paid"),
    "billing.payment_failed": _("Card payment failed"),
    "billing.credit_note_issued": _("Credit note issued"),
    "billing.refund_succeeded": _("Refund made to your card"),
    "billing.refund_failed": _("Refund refused by the card's bank"),
    "billing.card_replaced": _("Payment card replaced"),
    "billing.card_updated_by_network": _("Payment card updated by the card network"),
    "billing.automatic_charging_stopped": _("Automatic card payments stopped"),
    "billing.cancellation_requested": _("Cancellation requested"),
    "billing.operator_termination": _("Service termination announced"),
    "billing.termination_effective": _("Service ended"),
    "billing.price_change_announced": _("Price change announced"),
    "billing.line_plan_changed": _("Calling plan changed"),
    "billing.third_party_charge_recorded": _("Third-party charge recorded"),
    "billing.porting_compensation_claimed": _("Compensation for a late port claimed"),
    "billing.porting_compensation_paid": _("Compensation for a late port paid"),
    # documents
    "documents.change_announced": _("Change to our terms or policies announced"),
    # lines
    "lines.line_requested": _("Line requested"),
    "lines.emergency_limitations_acknowledged": _("Emergency call limits acknowledged"),
    "lines.line_activated": _("Line activated"),
    "lines.line_suspended": _("Line suspended"),
    "lines.line_reactivated": _("Line reactivated"),
    "lines.line_terminated": _("Line ended"),
    "lines.location_confirmed": _("Emergency location confirmed"),
    "lines.location_unconfirmed": _("Emergency location to confirm"),
    "lines.in_use_abroad": _("Line marked as used abroad"),
    "lines.back_in_country": _("Line back in the country"),
    "lines.call_barring_changed": _("Call barring changed"),
    "lines.spend_limit_reached": _("Monthly spend limit reached: external calls refused"),
    "lines.spend_limit_cleared": _("Monthly spend limit cleared"),
    "lines.device_added": _("Device added"),
    "lines.device_blocked": _("Device blocked"),
    "lines.number_change_scheduled": _("Number change announced"),
    "lines.number_change_cancelled": _("Number change cancelled"),
    "lines.number_changed": _("Number changed"),
    "lines.port_requested": _("Number transfer requested"),
    "lines.port_date_agreed": _("Number transfer date agreed"),
    "lines.port_completed": _("Number transfer completed"),
    "lines.port_refused": _("Number transfer refused"),
    "lines.port_cancelled": _("Number transfer cancelled"),
    "lines.replacement_requested": _("Desk phone replacement requested"),
    "lines.replacement_shipped": _("Replacement desk phone shipped"),
    "lines.replacement_done": _("Desk phone replaced"),
    "lines.maintenance_announced": _("Planned maintenance announced"),
    "lines.maintenance_updated": _("Planned maintenance moved"),
    "lines.maintenance_cancelled": _("Planned maintenance cancelled"),
    # privacy
    "privacy.marketing_consent_given": _("Marketing consent given"),
    "privacy.marketing_consent_withdrawn": _("Marketing consent withdrawn"),
    "privacy.cookie_choice": _("Cookie choice saved"),
    "privacy.policy_change_opted_out": _("Opted out of a new use of data"),
    # support
    "support.ticket_raised": _("Ticket raised"),
    "support.dispute_raised": _("Billing dispute raised"),
    "support.dispute_refused_late": _("Billing dispute refused as late"),
    "support.complaint_opened": _("Complaint opened"),
    "support.complaint_acknowledged": _("Complaint acknowledged"),
    "support.complaint_review_started": _("Complaint under review"),
    "support.complaint_contact": _("Contact about your complaint"),
    "support.complaint_update_sent": _("Update on your complaint"),
    "support.complaint_with_engineering": _("Complaint passed to our engineers"),
    "support.complaint_with_supervisor": _("Complaint passed to a supervisor"),
    "support.complaint_escalated": _("Complaint escalated to the Director"),
    "support.complaint_resolution_proposed": _("Resolution proposed"),
    "support.complaint_resolution_rejected": _("Resolution rejected"),
    "support.complaint_resolved_first_contact": _("Complaint resolved at first contact"),
    "support.complaint_closed": _("Complaint closed"),
    "support.deadlock_letter_sent": _("Final response sent"),
    "support.deadlock_letter_refused": _("Final response refused"),
    "support.adr_notice_sent": _("Notice of your right to independent dispute resolution"),
    # usage
    "usage.use_review_opened": _("Review of unusual use opened"),
    "usage.use_review_answered": _("Answer to a review of unusual use"),
    "usage.use_review_remedied": _("Review of unusual use closed"),
    "usage.use_review_line_moved": _("Line moved to the per-minute plan after a review"),
}

# An action with no label of its own is named by its app.
APP_LABELS: dict[str, Promise] = {
    "accounts": _("Account update"),
    "billing": _("Billing update"),
    "documents": _("Update to our terms or policies"),
    "lines": _("Update to your lines"),
    "privacy": _("Privacy update"),
    "support": _("Support update"),
    "usage": _("Update about your calls"),
}
OTHER = _("Account activity")


def label_for(action: str) -> str:
    """The reader's words for ``action``, in the active language."""
    label = LABELS.get(action) or APP_LABELS.get(action.partition(".")[0]) or OTHER
    return str(label)
