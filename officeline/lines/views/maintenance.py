"""Planned maintenance in the console (LIFE-6): the windows ahead and behind, and the forms
to schedule, move and cancel one, each with a confirmation step that says how many customers
will be told and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.permissions import StaffRequiredMixin
from officeline.events.models import Event
from officeline.forms import add_service_errors
from officeline.lines.choices import MaintenanceStatus
from officeline.lines.forms.maintenance import MaintenanceEditForm, MaintenanceForm
from officeline.lines.models import Maintenance
from officeline.lines.services import maintenance as service
from officeline.lines.views.actors import acting_user

# How far back the console lists past and cancelled windows.
RECENT_DAYS = 30


def _row(maintenance: Maintenance, told: int = 0) -> dict[str, Any]:
    return {
        "m": maintenance,
        "start": service.local_text(maintenance.starts_at, maintenance.market),
        "end": service.local_text(maintenance.ends_at, maintenance.market),
        "buildings": [b.name for b in maintenance.buildings.all()],
        "told": told,
    }


class MaintenanceListView(StaffRequiredMixin, TemplateView):
    """Upcoming maintenance, soonest first, then the recent and cancelled ones."""

    template_name = "lines/console/maintenance.html"
    capability = "lines.read"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        now = clock.now()
        windows = list(
            Maintenance.objects.filter(ends_at__gt=now - dt.timedelta(days=RECENT_DAYS))
            .select_related("scheduled_by")
            .prefetch_related("buildings")
            .order_by("starts_at", "pk")[:500]
        )
        told = dict(
            Event.objects.filter(
                action__in=(service.ANNOUNCED, service.UPDATED),
                subject_type="lines.maintenance",
                subject_id__in=[str(m.pk) for m in windows],
            )
            .values_list("subject_id")
            .annotate(n=Count("customer_id", distinct=True))
            .values_list("subject_id", "n")
        )
        rows = [_row(m, told.get(str(m.pk), 0)) for m in windows]
        context.update(
            upcoming=[
                r
                for r in rows
                if r["m"].status == MaintenanceStatus.SCHEDULED and r["m"].ends_at > now
            ],
            recent=[
                r
                for r in rows
                if r["m"].status == MaintenanceStatus.CANCELLED or r["m"].ends_at <= now
            ],
            may_schedule=self.may(service.MAINTENANCE_CAPABILITY),
        )
        return context


class ScheduleMaintenanceView(StaffRequiredMixin, View):
    """LIFE-6: schedule a window; the confirmation page says how many customers are told."""

    capability = service.MAINTENANCE_CAPABILITY

    def _form_page(self, request: HttpRequest, form: MaintenanceForm, status: int = 200) -> Any:
        return render(request, "lines/console/maintenance_form.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._form_page(request, MaintenanceForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MaintenanceForm(request.POST)
        if "change" in request.POST:
            return self._form_page(request, form)
        if not form.is_valid():
            return self._form_page(request, form, status=400)
        data = service.MaintenanceInput(
            market=form.cleaned_data["market_code"],
            description_en=form.cleaned_data["description_en"],
            description_fr=form.cleaned_data["description_fr"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            buildings=tuple(form.cleaned_data["buildings"]),
            whole_market=form.cleaned_data["whole_market"],
            urgent_reason=form.cleaned_data["urgent_reason"],
        )
        try:
            if "confirm" not in request.POST:
                count = service.preview(data=data, actor=acting_user(request))
                assert data.starts_at is not None and data.ends_at is not None
                return render(
                    request,
                    "lines/console/maintenance_confirm.html",
                    {
                        "form": form,
                        "count": count,
                        "start": service.local_text(data.starts_at, data.market),
                        "end": service.local_text(data.ends_at, data.market),
                        "buildings": [b.name for b in data.buildings],
                        "data": data,
                        "short_notice": data.starts_at
                        < service.earliest_start(data.market, clock.now()),
                        "action": "schedule",
                    },
                )
            maintenance = service.schedule_maintenance(data=data, actor=acting_user(request))
        except ValidationError as exc:
            add_service_errors(form, exc, {"market": "market_code"})
            return self._form_page(request, form, status=400)
        told = _told_count(maintenance)
        messages.success(
            request,
            ngettext(
                "The maintenance is scheduled; %(count)s customer is emailed.",
                "The maintenance is scheduled; %(count)s customers are emailed.",
                told,
            )
            % {"count": told},
        )
        return redirect("lines_console:maintenance")


def _told_count(maintenance: Maintenance) -> int:
    return len(service.recipients(maintenance))


def _local_input(moment: dt.datetime, market: str) -> str:
    """The value a ``datetime-local`` input takes, in the market's time."""
    return service.local_text(moment, market).rsplit(" ", 1)[0].replace(" ", "T")


class EditMaintenanceView(StaffRequiredMixin, View):
    """LIFE-6: move a window before it starts; the customers are sent an updated notice."""

    capability = service.MAINTENANCE_CAPABILITY
    access_log_exempt = "a maintenance window: buildings and times, no customer's data"  # PRIV-10

    def _page(
        self, request: HttpRequest, m: Maintenance, form: MaintenanceEditForm, status: int = 200
    ) -> Any:
        return render(
            request,
            "lines/console/maintenance_edit.html",
            {"form": form, "row": _row(m)},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = get_object_or_404(Maintenance.objects.prefetch_related("buildings"), pk=pk)
        form = MaintenanceEditForm(
            market=m.market,
            initial={
                "starts_at": _local_input(m.starts_at, m.market),
                "ends_at": _local_input(m.ends_at, m.market),
                "description_en": m.description_en,
                "description_fr": m.description_fr,
            },
        )
        return self._page(request, m, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = get_object_or_404(Maintenance.objects.prefetch_related("buildings"), pk=pk)
        form = MaintenanceEditForm(request.POST, market=m.market)
        if "change" in request.POST:
            return self._page(request, m, form)
        if not form.is_valid():
            return self._page(request, m, form, status=400)
        values = {
            "starts_at": form.cleaned_data["starts_at"],
            "ends_at": form.cleaned_data["ends_at"],
            "urgent_reason": form.cleaned_data["urgent_reason"],
            "description_en": form.cleaned_data["description_en"],
            "description_fr": form.cleaned_data["description_fr"],
        }
        try:
            if "confirm" not in request.POST:
                count = service.preview_change(maintenance=m, actor=acting_user(request), **values)
                return render(
                    request,
                    "lines/console/maintenance_confirm.html",
                    {
                        "form": form,
                        "count": count,
                        "start": service.local_text(values["starts_at"], m.market),
                        "end": service.local_text(values["ends_at"], m.market),
                        "buildings": [b.name for b in m.buildings.all()],
                        "data": {"market": m.market, "whole_market": m.whole_market, **values},
                        "short_notice": values["starts_at"]
                        < service.earliest_start(m.market, clock.now()),
                        "action": "edit",
                    },
                )
            service.reschedule_maintenance(maintenance=m, actor=acting_user(request), **values)
        except ValidationError as exc:
            add_service_errors(form, exc, {"market": "market_code"})
            return self._page(request, m, form, status=400)
        messages.success(request, _("The maintenance is changed; the customers are emailed."))
        return redirect("lines_console:maintenance")


class CancelMaintenanceView(StaffRequiredMixin, View):
    """LIFE-6: cancel a window before it starts; the customers told of it are told."""

    capability = service.MAINTENANCE_CAPABILITY
    access_log_exempt = "a maintenance window: buildings and times, no customer's data"  # PRIV-10

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = get_object_or_404(Maintenance.objects.prefetch_related("buildings"), pk=pk)
        try:
            count = service.cancel_preview(maintenance=m, actor=acting_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("lines_console:maintenance")
        return render(
            request, "lines/console/maintenance_cancel.html", {"row": _row(m), "count": count}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        m = get_object_or_404(Maintenance, pk=pk)
        try:
            service.cancel_maintenance(maintenance=m, actor=acting_user(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The maintenance is cancelled; the customers are emailed."))
        return redirect("lines_console:maintenance")
