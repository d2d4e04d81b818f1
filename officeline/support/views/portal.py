"""Support in the portal: tickets at any hour, their receipts, complaints and their letters."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline.accounts.models import User
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.events.models import Event
from officeline.forms import add_service_errors
from officeline.support.choices import Channel, EscalationReason
from officeline.support.forms import DisputeForm, TicketForm
from officeline.support.models import Letter, Ticket
from officeline.support.selectors import customer_tickets
from officeline.support.services import complaints, tickets
from officeline.support.services.disputes import dispute_charge


class TicketListView(CustomerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "support/portal/tickets.html", {"tickets": customer_tickets(self.customer.pk)}
        )


class TicketCreateView(CustomerRequiredMixin, View):
    """INFO-4: raised at any hour; the receipt is on screen at once, and by email."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "support/portal/ticket_new.html", {"form": TicketForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TicketForm(request.POST)
        if form.is_valid():
            try:
                ticket = tickets.raise_ticket(
                    customer=self.customer,
                    actor=cast(User, request.user),
                    channel=Channel.PORTAL,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session["support_receipt"] = ticket.reference
                return redirect("support_portal:ticket", reference=ticket.reference)
        return render(request, "support/portal/ticket_new.html", {"form": form}, status=400)


class TicketDetailView(CustomerRequiredMixin, View):
    def _ticket(self, reference: str) -> Ticket:
        return get_object_or_404(
            Ticket.objects.select_related("complaint"), customer=self.customer, reference=reference
        )

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        ticket = self._ticket(reference)
        complaint = getattr(ticket, "complaint", None)
        subjects = Q(subject_type="support.ticket", subject_id=str(ticket.pk))
        if complaint is not None:
            subjects |= Q(subject_type="support.complaint", subject_id=str(complaint.pk))
        timeline = Event.objects.filter(
            subjects, customer=self.customer, customer_visible=True
        ).order_by("occurred_at", "id")
        receipt = request.session.pop("support_receipt", None) == ticket.reference
        return render(
            request,
            "support/portal/ticket.html",
            {
                "ticket": ticket,
                "complaint": complaint,
                "timeline": timeline,
                "letters": complaint.letters.all() if complaint else [],
                "receipt": receipt,
            },
        )

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        ticket = self._ticket(reference)
        complaint = getattr(ticket, "complaint", None)
        action = request.POST.get("action", "")
        try:
            if action == "make_complaint":
                tickets.mark_as_complaint(ticket=ticket, actor=cast(User, request.user))
            elif complaint is None:
                raise Http404
            elif action == "confirm":
                complaints.confirm_resolution(complaint=complaint, actor=cast(User, request.user))
            elif action == "reject":
                complaints.reject_resolution(
                    complaint=complaint,
                    actor=cast(User, request.user),
                    reason=request.POST.get("reason", ""),
                )
            elif action == "escalate":
                complaints.escalate(
                    complaint=complaint,
                    actor=cast(User, request.user),
                    reason=EscalationReason.CUSTOMER_UNHAPPY,
                    note=request.POST.get("reason", ""),
                )
            elif action == "deadlock":
                complaints.request_deadlock_letter(
                    complaint=complaint, actor=cast(User, request.user)
                )
            else:
                raise Http404
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done."))
        return redirect("support_portal:ticket", reference=ticket.reference)


class LetterView(CustomerRequiredMixin, View):
    def get(self, request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
        letter = get_object_or_404(
            Letter,
            pk=letter_id,
            complaint__ticket__reference=reference,
            complaint__customer=self.customer,
        )
        response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{reference}-{letter.kind}.pdf"'
        return response


class DisputeCreateView(CustomerRequiredMixin, View):
    """BILL-12: dispute a charge in writing, through a ticket."""

    template = "support/portal/dispute_new.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DisputeForm(initial={"invoice": request.GET.get("invoice", "")})
        return render(request, self.template, {"form": form, "customer": self.customer})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DisputeForm(request.POST)
        if form.is_valid():
            try:
                dispute = dispute_charge(
                    customer=self.customer,
                    actor=cast(User, request.user),
                    invoice_number=form.cleaned_data["invoice"],
                    description=form.cleaned_data["description"],
                    channel=Channel.PORTAL,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session["support_receipt"] = dispute.ticket.reference
                return redirect("support_portal:ticket", reference=dispute.ticket.reference)
        context = {"form": form, "customer": self.customer}
        return render(request, self.template, context, status=400)
