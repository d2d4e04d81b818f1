"""API of the support app: tickets, complaints with their deadlines and timeline, and every action.

The same domain functions as the console, so the same permissions: a customer's
person confirms, rejects, escalates or asks for a deadlock letter; staff do the rest.
Staff reach these endpoints with the console's capabilities: ``complaints.read`` to read
tickets and complaints, ``complaints.act`` to record a ticket or a dispute for a customer
and to take a step of the complaints code.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from officeline.accounts.api.base import CUSTOMER_PARAMETER, CustomerScopedAPIView
from officeline.accounts.models import User
from officeline.events.models import Event
from officeline.forms import TEXT_MAX_LENGTH
from officeline.support.choices import Category, Channel
from officeline.support.models import Complaint, ComplaintDeadline, Ticket
from officeline.support.selectors import customer_tickets
from officeline.support.services import complaints, tickets
from officeline.support.services.disputes import dispute_charge


class TicketSerializer(serializers.ModelSerializer[Ticket]):
    is_complaint = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "reference",
            "subject",
            "description",
            "category",
            "channel",
            "raised_at",
            "is_complaint",
        ]

    def get_is_complaint(self, ticket: Ticket) -> bool:
        return hasattr(ticket, "complaint")


class NewTicketSerializer(serializers.Serializer[Any]):
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    category = serializers.ChoiceField(choices=Category.choices)
    is_complaint = serializers.BooleanField(default=False)


class DeadlineSerializer(serializers.ModelSerializer[ComplaintDeadline]):
    class Meta:
        model = ComplaintDeadline
        fields = ["kind", "due_at", "met_at", "breached_at", "cancelled_at"]


class TimelineEventSerializer(serializers.ModelSerializer[Event]):
    actor = serializers.CharField(source="actor_label")
    summary = serializers.CharField(
        source="label",
        read_only=True,
        help_text="What happened, in words.",
    )

    class Meta:
        model = Event
        fields = ["occurred_at", "actor", "action", "summary", "data"]


class ComplaintSerializer(serializers.ModelSerializer[Complaint]):
    reference = serializers.CharField(source="ticket.reference")
    subject = serializers.CharField(source="ticket.subject")
    deadlines = DeadlineSerializer(many=True)

    class Meta:
        model = Complaint
        fields = [
            "reference",
            "subject",
            "state",
            "received_at",
            "next_deadline_at",
            "escalation_reason",
            "proposed_resolution",
            "outcome",
            "close_reason",
            "deadlock_letter_at",
            "adr_notice_at",
            "deadlines",
        ]


class ActionSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(
        max_length=TEXT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="outcome, resolution, decision, reason or summary",
    )
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    refusal = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False, allow_blank=True)
    progress = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False)
    next_steps = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False)
    timeframe = serializers.CharField(max_length=TEXT_MAX_LENGTH, required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


ACTIONS = {
    "acknowledge": lambda c, u, d: complaints.acknowledge(complaint=c, actor=u),
    "review": lambda c, u, d: complaints.start_review(complaint=c, actor=u),
    "resolve_first_contact": lambda c, u, d: complaints.resolve_at_first_contact(
        complaint=c, actor=u, outcome=d.get("text", "")
    ),
    "refer_supervisor": lambda c, u, d: complaints.refer_to_supervisor(complaint=c, actor=u),
    "refer_engineering": lambda c, u, d: complaints.refer_to_engineering(complaint=c, actor=u),
    "update": lambda c, u, d: complaints.send_update(
        complaint=c,
        actor=u,
        progress=d.get("progress", ""),
        next_steps=d.get("next_steps", ""),
        timeframe=d.get("timeframe", ""),
    ),
    "contact": lambda c, u, d: complaints.record_contact(
        complaint=c, actor=u, channel=d.get("channel", "phone"), summary=d.get("text", "")
    ),
    "propose": lambda c, u, d: complaints.propose_resolution(
        complaint=c, actor=u, resolution=d.get("text", "")
    ),
    "confirm": lambda c, u, d: complaints.confirm_resolution(complaint=c, actor=u),
    "reject": lambda c, u, d: complaints.reject_resolution(
        complaint=c, actor=u, reason=d.get("text", "")
    ),
    "escalate": lambda c, u, d: complaints.escalate(
        complaint=c, actor=u, reason=d.get("reason", ""), note=d.get("text", "")
    ),
    "decide": lambda c, u, d: complaints.director_decide(
        complaint=c, actor=u, decision=d.get("text", "")
    ),
    "deadlock_letter": lambda c, u, d: complaints.request_deadlock_letter(
        complaint=c, actor=u, refusal=d.get("refusal", "")
    ),
    "declare_deadlock": lambda c, u, d: complaints.declare_deadlock(complaint=c, actor=u),
}


def _domain_errors(exc: DjangoValidationError) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    )


class TicketsView(CustomerScopedAPIView):
    """INFO-4: raise a ticket at any hour; the answer is the receipt."""

    access_kind = "tickets"  # PRIV-10
    capability = "complaints.read"
    write_capability = "complaints.act"

    @extend_schema(
        operation_id="tickets_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: TicketSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(
            TicketSerializer(customer_tickets(self.get_customer().pk)[:200], many=True).data
        )

    @extend_schema(
        operation_id="tickets_create",
        parameters=[CUSTOMER_PARAMETER],
        request=NewTicketSerializer,
        responses={201: TicketSerializer},
    )
    def post(self, request: Request) -> Response:
        customer = self.get_customer()
        data = NewTicketSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = Channel.PHONE if getattr(request.user, "staff_role", "") else Channel.API
        try:
            ticket = tickets.raise_ticket(
                customer=customer,
                actor=cast(User, request.user),
                channel=channel,
                **data.validated_data,
            )
        except DjangoValidationError as exc:
            raise _domain_errors(exc) from None
        return Response(TicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class ComplaintsView(CustomerScopedAPIView):
    access_kind = "tickets"  # PRIV-10
    capability = "complaints.read"

    @extend_schema(
        operation_id="complaints_list",
        parameters=[CUSTOMER_PARAMETER],
        responses={200: ComplaintSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        complaints = (
            Complaint.objects.filter(customer=self.get_customer())
            .select_related("ticket")
            .prefetch_related("deadlines")
            .order_by("-received_at")[:200]
        )
        return Response(ComplaintSerializer(complaints, many=True).data)


class _OneComplaint(CustomerScopedAPIView):
    access_kind = "tickets"  # PRIV-10
    capability = "complaints.read"
    tenant_isolation_test = (
        "officeline.support.tests.test_api::test_another_customers_complaint_is_not_found"
    )

    def get_complaint(self, reference: str) -> Complaint:
        user: Any = self.request.user
        qs = Complaint.objects.select_related("ticket", "customer").prefetch_related("deadlines")
        if user.customer_id:
            qs = qs.filter(customer_id=user.customer_id)
        complaint = qs.filter(ticket__reference=reference).first()
        if complaint is None:
            raise Http404("No such complaint.")
        if not user.customer_id:
            self.log_staff_access(complaint.customer, complaint)
        return complaint


class ComplaintDetailView(_OneComplaint):
    @extend_schema(operation_id="complaint_read", responses={200: ComplaintSerializer})
    def get(self, request: Request, reference: str) -> Response:
        complaint = self.get_complaint(reference)
        body = dict(ComplaintSerializer(complaint).data)
        events = Event.objects.filter(
            Q(subject_type="support.complaint", subject_id=str(complaint.pk)),
            customer=complaint.customer,
        ).order_by("occurred_at", "id")
        if getattr(request.user, "customer_id", None):
            events = events.filter(customer_visible=True)
        body["timeline"] = TimelineEventSerializer(events, many=True).data
        return Response(body)


class ComplaintActionView(_OneComplaint):
    write_capability = "complaints.act"

    @extend_schema(
        operation_id="complaint_act", request=ActionSerializer, responses={200: ComplaintSerializer}
    )
    def post(self, request: Request, reference: str, action: str) -> Response:
        if action not in ACTIONS:
            raise exceptions.NotFound(f"Unknown action; expected one of {', '.join(ACTIONS)}.")
        complaint = self.get_complaint(reference)
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            ACTIONS[action](complaint, request.user, data.validated_data)
        except DjangoValidationError as exc:
            raise _domain_errors(exc) from None
        complaint.refresh_from_db()
        return Response(ComplaintSerializer(self.get_complaint(reference)).data)


class NewDisputeSerializer(serializers.Serializer[Any]):
    invoice = serializers.CharField(max_length=20, help_text="the invoice number, e.g. UK-00000042")
    description = serializers.CharField(
        max_length=TEXT_MAX_LENGTH, help_text="which charge is wrong, and why"
    )


class DisputeSerializer(serializers.Serializer[Any]):
    ticket = serializers.CharField(source="ticket.reference")
    invoice = serializers.CharField(source="invoice.number")
    route = serializers.CharField()
    status = serializers.CharField()
    dispute_by = serializers.DateTimeField()
    raised_at = serializers.DateTimeField()


class DisputesView(CustomerScopedAPIView):
    """BILL-12: dispute a charge in writing (a micro-business: as a complaint); staff record
    one for the customer as they record a ticket."""

    capability = "complaints.read"
    write_capability = "complaints.act"

    @extend_schema(
        operation_id="disputes_create",
        parameters=[CUSTOMER_PARAMETER],
        request=NewDisputeSerializer,
        responses={201: DisputeSerializer},
    )
    def post(self, request: Request) -> Response:
        customer = self.get_customer()
        data = NewDisputeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = Channel.PHONE if getattr(request.user, "staff_role", "") else Channel.API
        try:
            dispute = dispute_charge(
                customer=customer,
                actor=cast(User, request.user),
                invoice_number=data.validated_data["invoice"],
                description=data.validated_data["description"],
                channel=channel,
            )
        except DjangoValidationError as exc:
            raise _domain_errors(exc) from None
        return Response(DisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)
