"""Privacy in the portal: the unsubscribe link of marketing emails, and the person's
marketing choices on the account page (PRIV-4); a changed privacy policy and the business's
opt-out from it (PRIV-12)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.models import User
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.documents.models import DocumentVersion
from officeline.forms import add_service_errors
from officeline.privacy.choices import MarketingChannel, RequestChannel
from officeline.privacy.forms import (
    MarketingPreferencesForm,
    OwnDetailsForm,
    PortalRequestForm,
)
from officeline.privacy.models import PolicyOptOut
from officeline.privacy.selectors import (
    announced_policy_change,
    consent_history,
    marketing_preferences,
    person_privacy_requests,
)
from officeline.privacy.services import exports, rights
from officeline.privacy.services.consents import set_marketing_preferences
from officeline.privacy.services.policy_opt_outs import opt_out_of_policy_change
from officeline.privacy.services.unsubscribe import (
    UnsubscribeLinkInvalid,
    read_unsubscribe_token,
    unsubscribe_with_token,
)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """PRIV-4: GET shows what the link unsubscribes from and a button; POST unsubscribes.

    A mail client's one-click POST (RFC 8058, body ``List-Unsubscribe=One-Click``)
    carries no CSRF token: the signed link is the proof, so CSRF is off here.
    """

    template_name = "privacy/portal/unsubscribe.html"

    def _error(self, request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"error": exc.message_dict.get("token", exc.messages)[0], "state": "error"},
            status=400,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            person, channel = read_unsubscribe_token(token, now=clock.now())
        except UnsubscribeLinkInvalid as exc:
            return self._error(request, exc)
        return render(
            request,
            self.template_name,
            {"state": "confirm", "email": person.email, "channel": MarketingChannel(channel)},
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            person, channel, row = unsubscribe_with_token(token=token)
        except UnsubscribeLinkInvalid as exc:
            return self._error(request, exc)
        return render(
            request,
            self.template_name,
            {
                "state": "done" if row is not None else "already",
                "email": person.email,
                "channel": MarketingChannel(channel),
            },
        )


class MarketingPreferencesView(CustomerRequiredMixin, View):
    """PRIV-4: the logged-in person changes their own marketing consents (account page)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        return redirect("portal:account")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MarketingPreferencesForm(request.POST)
        if form.is_valid():
            try:
                set_marketing_preferences(
                    person=request.user,  # type: ignore[arg-type]
                    actor=cast(User, request.user),
                    preferences={
                        MarketingChannel.EMAIL: form.cleaned_data["marketing_email"],
                        MarketingChannel.SMS: form.cleaned_data["marketing_sms"],
                    },
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    name = f"marketing_{field}"
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Your marketing choices are saved."))
                return redirect("portal:account")
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return redirect("portal:account")


def preferences_context(person: Any) -> dict[str, Any]:
    """What the account page shows of a person's marketing consents."""

    current = marketing_preferences(person)
    return {
        # PRIV-7: the person's own details, which they correct themselves.
        "own_details_form": OwnDetailsForm(
            initial={"full_name": person.full_name, "language": person.language}
        ),
        "marketing_form": MarketingPreferencesForm(
            initial={
                "marketing_email": current[MarketingChannel.EMAIL],
                "marketing_sms": current[MarketingChannel.SMS],
            }
        ),
        "marketing_history": list(consent_history(person)[:20]),
    }


class PolicyChangeView(CustomerRequiredMixin, TemplateView):
    """PRIV-12: a changed privacy policy, with the Office Manager's choice to opt out of it.

    The announcement email links here. Anyone of the customer reads it; the Office
    Manager opts the business out (once; a second time changes nothing).
    """

    template_name = "privacy/portal/policy_change.html"
    version: DocumentVersion

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if user.is_authenticated and user.customer_id is not None:
            version = announced_policy_change(kwargs["pk"], user.customer.market)
            if version is None:
                raise Http404("no such change of the privacy policy")
            self.version = version
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context.update(
            version=self.version,
            document=self.version.document,
            opted_out=PolicyOptOut.objects.filter(
                customer=self.customer, version=self.version
            ).first(),
            can_opt_out=user.is_office_manager,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        opt_out_of_policy_change(person=cast(User, request.user), version=self.version)
        messages.success(request, _("Your business is opted out of this change."))
        return redirect("privacy_portal:policy_opt_out", pk=self.version.pk)


class PrivacyRequestsView(CustomerRequiredMixin, View):
    """PRIV-6, PRIV-7: the person's own requests (copy, correct, delete) and a form for a new one."""

    template_name = "privacy/portal/requests.html"

    def _render(
        self, request: HttpRequest, form: PortalRequestForm, status: int = 200
    ) -> HttpResponse:

        return render(
            request,
            self.template_name,
            {"form": form, "requests": person_privacy_requests(request.user)},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PortalRequestForm(initial={"about": request.user.email}))  # type: ignore[union-attr]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PortalRequestForm(request.POST)
        if form.is_valid():
            about = form.cleaned_data["about"].strip().lower()
            # PRIV-6: the person named must be the one asking; rights.receive_request refuses
            # anyone else, with the reason.
            user: Any = request.user
            person = user if about == user.email.lower() else None
            try:
                created = rights.receive_request(
                    customer=self.customer,
                    person=person,
                    actor=cast(User, request.user),
                    kind=form.cleaned_data["kind"],
                    channel=RequestChannel.PORTAL,
                    details=form.cleaned_data["details"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, {"person": "about"})
            else:
                messages.success(
                    request,
                    _("Your request %(ref)s is received. We will answer by %(date)s.")
                    % {
                        "ref": created.reference,
                        "date": date_format(
                            created.answer_by.astimezone(self.customer.market_definition.tz),
                            "DATE_FORMAT",
                        ),
                    },
                )
                return redirect("privacy_portal:requests")
        return self._render(request, form, status=400)


class ExportDownloadView(CustomerRequiredMixin, View):
    """PRIV-6: the download link of an access request's archive, for the requester only.

    The link asks for the requester's login (a forwarded or intercepted email gives nothing);
    anyone else logged in gets a 404. GET shows what the link is and a button (so that a mail
    client fetching links does not use it up); POST downloads the archive, once. A forged,
    expired or used link is refused with its reason and changes nothing. Nothing of it is
    kept by a browser or proxy cache (``no-store``).
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = super().dispatch(request, *args, **kwargs)
        except exports.ExportNotYours:
            raise Http404("No such download.") from None
        response["Cache-Control"] = "no-store"
        return response

    template_name = "privacy/portal/export.html"

    def _error(self, request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"error": exc.message_dict.get("token", exc.messages)[0]},
            status=400,
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            data_export = exports.read_download_token(
                token=token,
                now=clock.now(),
                person=request.user,  # type: ignore[arg-type]
            )
        except exports.ExportLinkInvalid as exc:
            return self._error(request, exc)
        return render(
            request,
            self.template_name,
            {"export": data_export, "privacy_request": data_export.request},
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            filename, content = exports.take_download(
                token=token,
                person=request.user,  # type: ignore[arg-type]
            )
        except exports.ExportLinkInvalid as exc:
            return self._error(request, exc)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class OwnDetailsView(CustomerRequiredMixin, View):
    """PRIV-7: the logged-in person corrects their own name and language (account page)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        return redirect("portal:account")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OwnDetailsForm(request.POST)
        if form.is_valid():
            try:
                rights.correct_own_details(
                    person=request.user,  # type: ignore[arg-type]
                    actor=cast(User, request.user),
                    changes=dict(form.cleaned_data),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your details are saved."))
                return redirect("portal:account")
        for name, problems in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(str(e) for e in problems)}")
        return redirect("portal:account")
