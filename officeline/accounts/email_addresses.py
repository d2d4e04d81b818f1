"""Email addresses as logins: an address becomes a login only once confirmed from its mailbox.

The login of a customer's person is their allauth ``EmailAddress``: the primary,
verified one is ``User.email``. A new address (at sign-up, or when the account
email changes) is added unverified and a confirmation link is emailed to it
through the outbox; following the link (allauth's confirm page) verifies it, and
with ``ACCOUNT_CHANGE_EMAIL`` allauth then makes it the primary address, drops
the old one and sends ``email_changed``, on which ``login_email_changed`` moves
the customer's account email (ACC-5) along with the Office Manager's login.

Nothing here tells the person asking whether an address already belongs to
another account: the answer is the same, and the owner of that address gets an
email instead.
"""

from __future__ import annotations

from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from officeline.accounts.choices import CustomerRole
from officeline.accounts.models import Customer, User
from officeline.actors import Actor
from officeline.errors import DomainError
from officeline.events.services import record_event
from officeline.notifications.services import queue_email


def confirmation_url(address: EmailAddress, language: str) -> str:
    """The link that confirms ``address`` (allauth's signed key; it expires after
    ``ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS``)."""
    key = EmailConfirmationHMAC(address).key
    with translation.override(language):
        path = reverse("account_confirm_email", args=[key])
    return settings.BASE_URL.rstrip("/") + path


def address_taken(email: str, *, by_other_than: User | None = None) -> bool:
    """Whether the address is another person's login (or a confirmed address of theirs)."""
    users = User.objects.filter(email__iexact=email)
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True)
    if by_other_than is not None:
        users = users.exclude(pk=by_other_than.pk)
        verified = verified.exclude(user_id=by_other_than.pk)
    return users.exists() or verified.exists()


def add_unverified_login(
    *, person: User, email: str, language: str, primary: bool, customer: Customer | None
) -> EmailAddress:
    """Add an address to confirm to ``person`` and queue its link; one pending change at a
    time (an earlier unconfirmed one is dropped). Runs inside the caller's transaction."""
    EmailAddress.objects.filter(user=person, verified=False, primary=False).delete()
    address = EmailAddress.objects.create(
        user=person, email=email.lower(), verified=False, primary=primary
    )
    queue_email(
        to=address.email,
        template="accounts/email/confirm_address",
        context={
            "person": person,
            "email": address.email,
            "url": confirmation_url(address, language),
            "expire_days": allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
            "signing_up": primary,
        },
        language=language,
        kind="accounts.confirm_address",
        customer=customer,
    )
    return address


def tell_owner_of_taken_address(*, email: str, language: str, signing_up: bool) -> None:
    """The address already has a login: its owner is told, the person asking is not."""
    owner = User.objects.filter(email__iexact=email).first()
    queue_email(
        to=email.lower(),
        template="accounts/email/address_in_use",
        context={"email": email.lower(), "signing_up": signing_up, "person": owner},
        language=owner.language if owner is not None else language,
        kind="accounts.address_in_use",
        customer=owner.customer if owner is not None else None,
    )


def login_of(customer: Customer) -> User | None:
    """The Office Manager whose login is the customer's account email (else the first one)."""
    managers = customer.people.filter(
        customer_role=CustomerRole.OFFICE_MANAGER, is_active=True
    ).order_by("pk")
    return managers.filter(email__iexact=customer.email).first() or managers.first()


def request_account_email_change(*, customer: Customer, actor: Actor, new_email: str) -> str:
    """The account email is to become ``new_email``: nothing changes until it is confirmed.

    The Office Manager whose login it is (the actor, when they are the Office Manager)
    gets the new address unverified, and the link goes to it. An address that is already
    another person's login is not added; its owner is told instead, and the caller sees the
    same answer. Returns the address the link went to.
    """
    email = new_email.strip().lower()
    is_manager = (
        getattr(actor, "customer_id", None) == customer.pk
        and getattr(actor, "customer_role", "") == CustomerRole.OFFICE_MANAGER
    )
    person = actor if is_manager else login_of(customer)
    if person is None:
        raise DomainError(
            _("This customer has no Office Manager to confirm a new address."),
            code="no_office_manager",
            field="email",
        )
    with transaction.atomic():
        if address_taken(email, by_other_than=person):
            tell_owner_of_taken_address(email=email, language=customer.language, signing_up=False)
        else:
            add_unverified_login(
                person=person,
                email=email,
                language=person.language or customer.language,
                primary=False,
                customer=customer,
            )
        record_event(
            action="accounts.email_change_requested",
            actor=actor,
            customer=customer,
            subject=customer,
            data={"to_confirm": email},
            customer_visible=True,
        )
    return email


def pending_email(customer: Customer) -> str:
    """The address the account email is changing to, waiting for its confirmation ("" if none)."""
    person = login_of(customer)
    if person is None:
        return ""
    pending = (
        EmailAddress.objects.filter(user=person, verified=False, primary=False)
        .order_by("-pk")
        .values_list("email", flat=True)
        .first()
    )
    return pending or ""


def login_email_changed(
    *, person: User, from_address: EmailAddress | None, to_address: EmailAddress
) -> None:
    """allauth made a confirmed address the person's login: the account email follows for an
    Office Manager, unless it is another Office Manager's login (ACC-5 notices go to a
    confirmed address)."""
    customer_id = getattr(person, "customer_id", None)
    if customer_id is None or from_address is None:
        return
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer_id)
        before = customer.email
        # It follows unless it is another Office Manager's login.
        moves_account_email = (
            person.customer_role == CustomerRole.OFFICE_MANAGER
            and not customer.people.filter(
                customer_role=CustomerRole.OFFICE_MANAGER, is_active=True, email__iexact=before
            )
            .exclude(pk=person.pk)
            .exists()
        )
        if moves_account_email:
            customer.email = to_address.email
            customer.save(update_fields=["email"])
        record_event(
            action="accounts.login_email_changed",
            actor=person,
            customer=customer,
            subject=customer,
            before={
                "login": from_address.email,
                **({"email": before} if moves_account_email else {}),
            },
            after={
                "login": to_address.email,
                **({"email": to_address.email} if moves_account_email else {}),
            },
            customer_visible=True,
        )
