"""Portal pages: the landing page, sign-up, the Office Manager's dashboard, account and notices.

Views are thin: the work is done by the apps' services (sign-up by ``portal.signup``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from officeline import clock
from officeline.accounts.models import Building, Notice, NoticeDirection, User
from officeline.accounts.permissions import CustomerRequiredMixin
from officeline.accounts.services.customers import EDITABLE_DETAILS, update_customer_details
from officeline.accounts.services.notices import give_notice_to_operator
from officeline.billing.payments import CardDetails, PaymentProviderError
from officeline.billing.payments.sandbox import CardRejected, SandboxProvider
from officeline.billing.services import card_setup
from officeline.documents.markdown import render_markdown
from officeline.documents.selectors import current_terms
from officeline.events.selectors import customer_timeline
from officeline.forms import add_service_errors
from officeline.lines.selectors import unconfirmed_locations, upcoming_for_customer
from officeline.portal.forms import AccountForm, NoticeForm, SandboxCardForm, SignUpForm
from officeline.portal.signup import SignUpRefused, SignUpRequest, sign_up
from officeline.privacy.views.portal import preferences_context

SIGNUP_SESSION = "officeline_signup"
CARD_SESSION = "officeline_signup_card"
STRIPE_SETUP_SESSION = "officeline_signup_stripe_session"
# ACC-2: the words that sign, per language.
ACCEPT_WORDING = {"en": "I accept", "fr": "J'accepte"}


def home(request: HttpRequest) -> HttpResponse:
    """Where "/" and the login redirect lead: staff to the console, customers to their dashboard."""
    user: Any = request.user
    if user.is_authenticated and user.staff_role:
        return redirect("console:home")
    if user.is_authenticated and user.customer_id:
        return redirect("portal:dashboard")
    return render(
        request, "portal/landing.html", {"buildings": Building.objects.order_by("market", "name")}
    )


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104  (an address, not a bind)


class SignUpView(View):
    """Step 1: the business, the person, the attestations (ACC-1, ACC-3, ACC-4, INFO-3, PORT-3)."""

    template_name = "portal/signup.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language() or "en"
        initial = {"market": "fr" if language == "fr" else "uk"}
        return render(request, self.template_name, {"form": SignUpForm(initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SignUpForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = form.cleaned_data
        details = {name: data[name] for name in EDITABLE_DETAILS if name in data}
        details["language"] = translation.get_language() or "en"
        request.session[SIGNUP_SESSION] = {
            "market": data["market"],
            "language": details["language"],
            "details": details,
            "building_id": data["building"].pk if data.get("building") else None,
            # Only the hash of the password is kept between the steps.
            "password_hash": make_password(data["password1"]),
            "is_business": data["is_business"],
            "is_adult": data["is_adult"],
            # PRIV-4: unticked unless the person ticked them.
            "marketing": {"email": data["marketing_email"], "sms": data["marketing_sms"]},
        }
        request.session.pop(CARD_SESSION, None)
        return _card_page(request, request.session[SIGNUP_SESSION])


def _card_page(request: HttpRequest, pending: dict[str, Any]) -> HttpResponse:
    """Step 2: the payment provider's own card page (ACC-3). Only a token comes back."""
    try:
        url = card_setup.start(
            request,
            key=STRIPE_SETUP_SESSION,
            email=str(pending["details"]["email"]),
            name=pending["details"]["legal_name"],
            return_to=reverse("portal:signup_card_return"),
            cancel_to=reverse("portal:signup_card_start"),
        )
    except PaymentProviderError:
        messages.error(
            request,
            _("The card page cannot be reached just now. Please try again in a few minutes."),
        )
        return redirect("portal:signup")
    return redirect(url)


class SignUpCardStartView(View):
    """The card page again (after a card that was not saved, or back from Stripe's page): a new
    Checkout Session for the Stripe customer created when the sign-up form was posted, so a
    plain GET never creates another Stripe customer."""

    def get(self, request: HttpRequest) -> HttpResponse:
        pending = request.session.get(SIGNUP_SESSION)
        if not pending:
            return redirect("portal:signup")
        return _card_page(request, pending)


class SandboxPayView(View):
    """The sandbox payment provider's own card page (it stands for the provider's site).

    The card number is posted here, checked and tokenized by the sandbox; the
    customer goes back to Officeline with the token only (ACC-3).
    """

    template_name = "portal/sandbox_pay.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Never a card page of ours where a real provider takes the payments.
        if settings.PAYMENT_PROVIDER != "sandbox":
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _return_to(self, request: HttpRequest) -> str:
        target = request.GET.get("return_to") or request.POST.get("return_to") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return reverse("portal:signup")
        return target

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"form": SandboxCardForm(), "return_to": self._return_to(request)},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SandboxCardForm(request.POST)
        return_to = self._return_to(request)
        if form.is_valid():
            today = clock.now().date()
            try:
                card = SandboxProvider().tokenize(
                    number=form.cleaned_data["number"],
                    exp_month=form.cleaned_data["exp_month"],
                    exp_year=form.cleaned_data["exp_year"],
                    cvc=form.cleaned_data["cvc"],
                    today_year=today.year,
                    today_month=today.month,
                )
            except CardRejected as exc:
                form.add_error(exc.field, _(str(exc)))
            else:
                separator = "&" if "?" in return_to else "?"
                return redirect(f"{return_to}{separator}card_token={card.token}")
        return render(
            request, self.template_name, {"form": form, "return_to": return_to}, status=400
        )


class SignUpCardReturnView(View):
    """Back from the provider with a card token; its details come from the provider itself."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if SIGNUP_SESSION not in request.session:
            return redirect("portal:signup")
        try:
            provider, card = card_setup.finish(request, key=STRIPE_SETUP_SESSION)
        except card_setup.CARD_NOT_SAVED:
            messages.error(request, _("The card was not saved. Please enter it again."))
            return redirect("portal:signup_card_start")
        request.session[CARD_SESSION] = {
            "provider": provider,
            "token": card.token,
            "brand": card.brand,
            "last4": card.last4,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
        }
        return redirect("portal:signup_terms")


class SignUpTermsView(View):
    """Last step: read the terms and sign them with "I accept" (ACC-2)."""

    template_name = "portal/signup_terms.html"

    def _pending(self, request: HttpRequest) -> tuple[dict[str, Any], dict[str, Any]] | None:
        pending, card = request.session.get(SIGNUP_SESSION), request.session.get(CARD_SESSION)
        return (pending, card) if pending and card else None

    def _context(self, pending: dict[str, Any], card: dict[str, Any]) -> dict[str, Any]:
        terms = current_terms(pending["market"], pending["language"])
        return {
            "terms": terms,
            "terms_html": render_markdown(terms.body) if terms else "",
            "card": card,
            "pending": pending,
            "wording": ACCEPT_WORDING.get(pending["language"], ACCEPT_WORDING["en"]),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        state = self._pending(request)
        if state is None:
            return redirect("portal:signup")
        return render(request, self.template_name, self._context(*state))

    def post(self, request: HttpRequest) -> HttpResponse:
        state = self._pending(request)
        if state is None:
            return redirect("portal:signup")
        pending, card = state
        context = self._context(pending, card)
        if request.POST.get("accept") != "yes":
            context["error"] = _(
                "To sign up, tick the box and press the button to accept the terms."
            )
            return render(request, self.template_name, context, status=400)
        if context["terms"] is None:
            context["error"] = _(
                "Our terms for this market are not published yet; sign-up is closed."
            )
            return render(request, self.template_name, context, status=503)
        details = dict(card)
        provider = details.pop("provider", "sandbox")
        try:
            sign_up(
                request=SignUpRequest(**pending),
                card=CardDetails(**details),
                provider=provider,
                terms=context["terms"],
                terms_wording=context["wording"],
                ip_address=_client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except SignUpRefused as exc:
            context["errors"] = exc.message_dict
            return render(request, self.template_name, context, status=400)
        request.session.pop(SIGNUP_SESSION, None)
        request.session.pop(CARD_SESSION, None)
        # The same page whether the email was new or already had an account (sign_up told
        # its owner): the Office Manager logs in once the address is confirmed.
        return render(request, "portal/signup_sent.html", {"email": pending["details"]["email"]})


class DashboardView(CustomerRequiredMixin, TemplateView):
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        customer = self.customer
        context.update(
            customer=customer,
            card=customer.payment_methods.filter(is_default=True, revoked_at__isnull=True).first(),
            # EMG-2: a number added, changed or ported asks for the location to be confirmed.
            unconfirmed_lines=list(unconfirmed_locations().filter(customer=customer)),
            # LIFE-6: planned maintenance ahead where the business has lines.
            maintenance=upcoming_for_customer(customer.pk, now=clock.now()),
            time_zone=customer.market_definition.time_zone,
            recent=list(
                customer_timeline(customer.pk, customer_view=True).order_by("-occurred_at")[:10]
            ),
        )
        return context


class AccountView(CustomerRequiredMixin, View):
    """The business's details; only the Office Manager changes them."""

    template_name = "portal/account.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {name: getattr(self.customer, name) for name in [*EDITABLE_DETAILS]}
        return render(
            request,
            self.template_name,
            {
                "form": AccountForm(initial=initial),
                "customer": self.customer,
                **preferences_context(request.user),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AccountForm(request.POST)
        assert isinstance(request.user, User)  # CustomerRequiredMixin let in a logged-in user
        if form.is_valid():
            try:
                update_customer_details(
                    customer=self.customer, actor=request.user, changes=form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your details are saved."))
                new_email = str(form.cleaned_data.get("email") or "").lower()
                if new_email and new_email != self.customer.email.lower():
                    messages.info(
                        request,
                        _(
                            "We sent a link to %(email)s: the account email and your login "
                            "change once it is confirmed from that mailbox."
                        )
                        % {"email": new_email},
                    )
                return redirect("portal:account")
        return render(
            request,
            self.template_name,
            {"form": form, "customer": self.customer, **preferences_context(request.user)},
            status=400,
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.office_manager_only = request.method == "POST"
        return super().dispatch(request, *args, **kwargs)


class NoticesView(CustomerRequiredMixin, View):
    """ACC-5: the notice tool, and the notices the operator sent to the account email."""

    template_name = "portal/notices.html"

    def _context(self, form: NoticeForm) -> dict[str, Any]:
        notices = Notice.objects.filter(customer=self.customer)
        return {
            "form": form,
            "sent": notices.filter(direction=NoticeDirection.TO_OPERATOR),
            "received": notices.filter(direction=NoticeDirection.TO_CUSTOMER),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self._context(NoticeForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NoticeForm(request.POST)
        assert isinstance(request.user, User)  # CustomerRequiredMixin let in a logged-in user
        if form.is_valid():
            try:
                notice = give_notice_to_operator(
                    customer=self.customer, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your notice is recorded with the reference %s.") % notice.reference
                )
                return redirect("portal:notices")
        return render(request, self.template_name, self._context(form), status=400)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.office_manager_only = request.method == "POST"
        return super().dispatch(request, *args, **kwargs)
