"""Complaints in the console: the queue by next deadline, a complaint and its actions,
the print-and-post queue, staff-recorded contacts, and the monthly report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from officeline import clock
from officeline.accounts.access_log import AccessLoggedMixin
from officeline.accounts.choices import AccessKind
from officeline.accounts.models import User
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.events.selectors import subject_timeline
from officeline.forms import add_service_errors
from officeline.support.choices import DeliveryStatus
from officeline.support.forms import (
    ContactForm,
    DeadlockForm,
    EscalateForm,
    GroundForm,
    StaffTicketForm,
    TextForm,
    UpdateForm,
)
from officeline.support.models import Complaint, Letter
from officeline.support.selectors import breaches, is_due_today, monthly_report, staff_queue
from officeline.support.services import complaints, tickets

# Each console action: its form, and how it calls the domain function.
ACTIONS: dict[str, tuple[type[forms.Form] | None, Callable[..., Any]]] = {
    "acknowledge": (None, lambda c, u, d: complaints.acknowledge(complaint=c, actor=u)),
    "review": (None, lambda c, u, d: complaints.start_review(complaint=c, actor=u)),
    "first_contact": (
        TextForm,
        lambda c, u, d: complaints.resolve_at_first_contact(
            complaint=c, actor=u, outcome=d["text"]
        ),
    ),
    "supervisor": (None, lambda c, u, d: complaints.refer_to_supervisor(complaint=c, actor=u)),
    "engineering": (None, lambda c, u, d: complaints.refer_to_engineering(complaint=c, actor=u)),
    "update": (UpdateForm, lambda c, u, d: complaints.send_update(complaint=c, actor=u, **d)),
    "contact": (ContactForm, lambda c, u, d: complaints.record_contact(complaint=c, actor=u, **d)),
    "propose": (
        TextForm,
        lambda c, u, d: complaints.propose_resolution(complaint=c, actor=u, resolution=d["text"]),
    ),
    "escalate": (EscalateForm, lambda c, u, d: complaints.escalate(complaint=c, actor=u, **d)),
    "decide": (
        TextForm,
        lambda c, u, d: complaints.director_decide(complaint=c, actor=u, decision=d["text"]),
    ),
    "deadlock": (
        DeadlockForm,
        lambda c, u, d: complaints.request_deadlock_letter(
            complaint=c, actor=u, refusal=d["refusal"]
        ),
    ),
    "declare_deadlock": (None, lambda c, u, d: complaints.declare_deadlock(complaint=c, actor=u)),
    "ground": (GroundForm, lambda c, u, d: complaints.record_ground(complaint=c, actor=u, **d)),
}


class QueueView(StaffRequiredMixin, View):
    capability = "complaints.read"

    def get(self, request: HttpRequest) -> HttpResponse:
        now = clock.now()
        rows = [{"complaint": c, "due_today": is_due_today(c, now)} for c in staff_queue(now)]
        return render(request, "support/console/queue.html", {"rows": rows, "now": now})


class ComplaintView(AccessLoggedMixin, View):
    """A complaint with its deadlines, letters and timeline; each view is logged (PRIV-10)."""

    capability = "complaints.read"
    access_kind = AccessKind.TICKETS
    access_model = Complaint.objects.select_related("customer", "ticket")
    access_customer_field = "customer"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.accessed_object
        return render(
            request,
            "support/console/complaint.html",
            {
                "complaint": complaint,
                "deadlines": complaint.deadlines.all(),
                "timeline": subject_timeline("support.complaint", complaint.pk),
                "letters": complaint.letters.all(),
                "forms": {name: (form() if form else None) for name, (form, _) in ACTIONS.items()},
            },
        )


class ComplaintActionView(StaffRequiredMixin, View):
    capability = "complaints.act"
    access_log_exempt = "a write that shows nothing: each action is an event on the complaint"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        complaint = get_object_or_404(Complaint, pk=pk)
        if action not in ACTIONS:
            raise Http404
        form_class, call = ACTIONS[action]
        data: dict[str, Any] = {}
        if form_class is not None:
            form = form_class(request.POST)
            if not form.is_valid():
                for field, form_errors in form.errors.items():
                    messages.error(request, f"{field}: {' '.join(str(e) for e in form_errors)}")
                return redirect("support_console:complaint", pk=pk)
            data = form.cleaned_data
        try:
            call(complaint, request.user, data)
        except ValidationError as exc:
            for field, messages_ in exc.message_dict.items():
                messages.error(request, f"{field}: {' '.join(messages_)}")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done."))
        return redirect("support_console:complaint", pk=pk)


class NewTicketView(AccessLoggedMixin, View):
    """CMP-1: staff record a phone contact as a ticket, possibly a complaint by a representative.

    The page shows the customer, so each view is logged (PRIV-10).
    """

    capability = "complaints.act"
    access_kind = AccessKind.TICKETS
    access_url_kwarg = "customer_id"

    def get(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        customer = self.accessed_customer
        return render(
            request,
            "support/console/ticket_new.html",
            {"form": StaffTicketForm(), "customer": customer},
        )

    def post(self, request: HttpRequest, customer_id: int) -> HttpResponse:
        customer = self.accessed_customer
        form = StaffTicketForm(request.POST)
        if form.is_valid():
            try:
                ticket = tickets.raise_ticket(
                    customer=customer, actor=cast(User, request.user), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Recorded as %s.") % ticket.reference)
                complaint = getattr(ticket, "complaint", None)
                if complaint is not None:
                    return redirect("support_console:complaint", pk=complaint.pk)
                return redirect("console:customer", pk=customer.pk)
        return render(
            request,
            "support/console/ticket_new.html",
            {"form": form, "customer": customer},
            status=400,
        )


class PrintQueueView(StaffRequiredMixin, View):
    """Letters waiting to be printed and posted (letter, large print), and 'other' formats;
    posting one is a contact on its complaint."""

    capability = "complaints.read"
    write_capability = "complaints.act"

    def get(self, request: HttpRequest) -> HttpResponse:
        letters = Letter.objects.filter(
            delivery__in=[DeliveryStatus.TO_PRINT, DeliveryStatus.STAFF_TASK],
            posted_at__isnull=True,
        )
        return render(
            request,
            "support/console/print_queue.html",
            {"letters": letters.select_related("complaint__customer", "complaint__ticket")},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        letter = get_object_or_404(Letter, pk=request.POST.get("letter"), posted_at__isnull=True)
        Letter.objects.filter(pk=letter.pk).update(
            posted_at=clock.now(),
            delivery=DeliveryStatus.POSTED
            if letter.delivery == DeliveryStatus.TO_PRINT
            else letter.delivery,
        )
        complaints.record_contact(
            complaint=letter.complaint,
            actor=cast(User, request.user),
            channel="post",
            summary=f"{letter.get_kind_display()} sent",
            is_update=False,
        )
        return redirect("support_console:print_queue")


class LetterView(AccessLoggedMixin, View):
    """A letter's PDF; each view is logged (PRIV-10)."""

    capability = "complaints.read"
    access_kind = AccessKind.TICKETS
    access_model = Letter.objects.select_related("complaint__customer")
    access_url_kwarg = "letter_id"
    access_customer_field = "complaint.customer"

    def get(self, request: HttpRequest, letter_id: int) -> HttpResponse:
        letter = self.accessed_object
        return HttpResponse(bytes(letter.pdf), content_type="application/pdf")


class ReportView(StaffRequiredMixin, View):
    capability = "complaints.report"

    def get(self, request: HttpRequest) -> HttpResponse:
        now = clock.now()
        raw = request.GET.get("month") or f"{now.year}-{now.month:02d}"
        try:
            year, month = (int(part) for part in raw.split("-"))
            if not 1 <= month <= 12:
                raise ValueError
        except ValueError:
            messages.error(request, _("Give the month as YYYY-MM."))
            year, month = now.year, now.month
        return render(
            request,
            "support/console/report.html",
            {
                "shares": monthly_report(year, month),
                "month": f"{year}-{month:02d}",
                "breaches": breaches()[:200],
            },
        )
