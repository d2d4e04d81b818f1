from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from officeline.accounts.choices import (
    AccessKind,
    CustomerRole,
    CustomerStatus,
    PreferredFormat,
    StaffRole,
)
from officeline.forms import TEXT_MAX_LENGTH
from officeline.markets.choices import MarketCode
from officeline.markets.definitions import Market, get_market

# ACC-4: a business of this many workers or fewer is a micro-business / TPE.
MICRO_BUSINESS_MAX_WORKERS = 10


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who logs in: operator staff (``staff_role``) or a customer's person."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=[("en", "English"), ("fr", "Français")], default="en"
    )
    staff_role = models.CharField(
        _("staff role"), max_length=20, choices=StaffRole.choices, blank=True
    )
    customer = models.ForeignKey(
        "accounts.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    customer_role = models.CharField(
        _("role"), max_length=20, choices=CustomerRole.choices, blank=True
    )
    # PRIV-8: when an operator staff member left (``services.record_staff_departure``), and
    # when their name and email are anonymised (the register's ``former_staff`` period);
    # ``forget_at`` is cleared once done, so the retention run reads only what is due.
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    forget_at = models.DateTimeField(null=True, blank=True, db_index=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(customer__isnull=True) | ~models.Q(customer_role=""),
                name="user_customer_has_role",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_operator_staff(self) -> bool:
        return bool(self.staff_role) and self.is_active

    @property
    def is_office_manager(self) -> bool:
        return self.customer_id is not None and self.customer_role == CustomerRole.OFFICE_MANAGER

    def has_staff_role(self, *roles: str) -> bool:
        return self.is_active and self.staff_role in roles

    def save(self, *args: Any, **kwargs: Any) -> None:
        # ``set_password`` keeps the new password until the save (Django clears it for a mere
        # rehash at login): a changed or reset password, by any path, revokes the API tokens.
        password_changed = getattr(self, "_password", None) is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            # tokens imports this module's models: imported here, where a save needs it.
            from officeline.accounts.tokens import revoke_api_tokens

            revoke_api_tokens(user=self, actor=None, reason="password_changed")


class ApiToken(models.Model):
    """A user's API token for one client (``cli``, an integration's name): one per client.

    ACC-6: only the SHA-256 of the token is stored; the token itself is shown once, when it is
    issued. ``prefix``, its first characters, lets a person tell their tokens apart.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    client = models.CharField(_("client"), max_length=40)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("API token")
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="apitoken_one_per_client"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.client})"


class Operator(models.Model):
    """The operator running this Officeline (one row). Per-market details are below."""

    name = models.CharField(_("trading name"), max_length=200)
    website = models.URLField(blank=True)

    class Meta:
        verbose_name = _("operator")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Operator:
        operator = cls.objects.order_by("pk").first()
        if operator is None:
            raise cls.DoesNotExist("no operator is set up; run `officeline seed_demo` or the admin")
        return operator


class OperatorMarket(models.Model):
    """What the operator publishes and promises in one market (INFO-1, CMP-13, ...).

    ``parameters`` holds the configurable values of the rule book ("configurable":
    an operator setting per market whose default is the rule's value); each app
    reads its own keys through ``parameter()`` with the rule's default.
    """

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="markets")
    market = models.CharField(max_length=2, choices=MarketCode.choices, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=200)
    company_number = models.CharField(_("company number"), max_length=50)
    vat_number = models.CharField(_("VAT number"), max_length=50, blank=True)
    registered_office = models.TextField(_("registered office"))
    support_phone = models.CharField(_("support phone"), max_length=50)
    support_email = models.EmailField(_("support email"))
    postal_address = models.TextField(_("postal address for complaints"))
    support_hours = models.CharField(_("phone support hours"), max_length=200, blank=True)
    charges_url = models.URLField(_("where charges and tariffs are"), blank=True)
    maintenance_and_warranty = models.TextField(_("maintenance and warranty"), blank=True)
    compensation_schemes = models.TextField(_("compensation schemes"), blank=True)
    adr_scheme_name = models.CharField(_("ADR scheme"), max_length=200, blank=True)
    adr_scheme_contact = models.TextField(_("ADR scheme contact details"), blank=True)
    adr_scheme_url = models.URLField(_("ADR scheme website"), blank=True)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("operator market settings")

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.market})"

    def parameter(self, key: str, default: Any) -> Any:
        return self.parameters.get(key, default)


def market_parameter(market: str, key: str, default: Any) -> Any:
    """A configurable value of a market, or the rule's default when the operator set none."""
    settings_row = OperatorMarket.objects.filter(market=market).only("parameters").first()
    return default if settings_row is None else settings_row.parameter(key, default)


class Building(models.Model):
    """A coworking building: where customers' desks, and so their emergency locations, are."""

    name = models.CharField(max_length=200)
    market = models.CharField(max_length=2, choices=MarketCode.choices)
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=20)

    def __str__(self) -> str:
        return self.name

    @property
    def country(self) -> str:
        return get_market(self.market).country

    @property
    def address(self) -> str:
        parts = [self.address_line1, self.address_line2, f"{self.postcode} {self.city}"]
        return ", ".join(p for p in parts if p)


class Customer(models.Model):
    """A business customer (ACC-1): only businesses, signed up by an adult."""

    market = models.CharField(_("market"), max_length=2, choices=MarketCode.choices)
    legal_name = models.CharField(_("company name"), max_length=200)
    company_number = models.CharField(_("company number"), max_length=20)
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200)
    email = models.EmailField(_("account email"))
    phone = models.CharField(_("phone"), max_length=20)  # E.164
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=20)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="customers"
    )
    workers_count = models.PositiveIntegerField(_("number of people working for the business"))
    language = models.CharField(
        _("language"), max_length=5, choices=[("en", "English"), ("fr", "Français")]
    )
    preferred_format = models.CharField(
        _("preferred format for written replies"),
        max_length=20,
        choices=PreferredFormat.choices,
        default=PreferredFormat.EMAIL,
    )
    preferred_format_details = models.CharField(
        _("how we should write to you (for 'other')"), max_length=200, blank=True
    )
    # Bounded like every free text a person types (TEXT_MAX_LENGTH); the validator makes
    # full_clean refuse more, as the account's API changes go through it.
    accessibility_needs = models.TextField(
        _("accessibility needs"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    status = models.CharField(
        max_length=24, choices=CustomerStatus.choices, default=CustomerStatus.ACTIVE
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["market", "legal_name"])]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def market_definition(self) -> Market:
        return get_market(self.market)

    @property
    def is_micro_business(self) -> bool:
        """ACC-4: ten or fewer workers (micro-business, Très Petite Entreprise)."""
        return self.workers_count <= MICRO_BUSINESS_MAX_WORKERS

    @property
    def address(self) -> str:
        parts = [self.address_line1, self.address_line2, f"{self.postcode} {self.city}"]
        return ", ".join(p for p in parts if p)


class TermsAcceptance(models.Model):
    """ACC-2: accepting the terms is an electronic signature.

    Who accepted, when, from which address and browser, and exactly which
    version of the terms (its row and the SHA-256 of its text at that moment).
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="terms_acceptances"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="terms_acceptances"
    )
    document_version = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, related_name="acceptances"
    )
    document_sha256 = models.CharField(max_length=64)
    accepted_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField()
    user_agent = models.CharField(max_length=500)
    # The words the person clicked ("I accept" / "J'accepte").
    wording = models.CharField(max_length=50)

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.document_version} at {self.accepted_at:%Y-%m-%d %H:%M}"


class NoticeDirection(models.TextChoices):
    TO_OPERATOR = "to_operator", _("From the customer to the operator")
    TO_CUSTOMER = "to_customer", _("From the operator to the customer")


class Notice(models.Model):
    """ACC-5: a formal notice, either way. The operator's go by email to the account email."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="notices")
    direction = models.CharField(max_length=20, choices=NoticeDirection.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("notice"))
    sent_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(db_index=True)
    reference = models.CharField(max_length=20, unique=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"


class AccessLogEntry(models.Model):
    """PRIV-10: one staff view of a customer's data: who, what, when, why.

    Written by ``services.record_access`` (through ``access_log.AccessLoggedMixin``)
    before the page is shown. Communications need a stated reason (PRIV-11),
    which the database also enforces.
    """

    at = models.DateTimeField()
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who, as text: kept when the staff user is gone.
    staff_label = models.CharField(max_length=200)
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="access_log"
    )
    kind = models.CharField(_("kind of data"), max_length=20, choices=AccessKind.choices)
    subject_type = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    url_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        # Created by the privacy app, where the log started: the table keeps its name.
        db_table = "privacy_accesslogentry"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["customer", "at"]),
            models.Index(fields=["staff_user", "at"]),
            models.Index(fields=["at"]),
        ]
        constraints = [
            # PRIV-11: no look at a customer's communications without a stated reason.
            models.CheckConstraint(
                condition=~Q(kind=AccessKind.COMMUNICATIONS) | ~Q(reason=""),
                name="privacy_access_communications_need_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.staff_label} {self.kind} {self.customer_id}"
