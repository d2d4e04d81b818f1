from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from officeline.privacy.choices import (
    ConsentMethod,
    CookieChoiceValue,
    FeeGround,
    InboundSmsOutcome,
    MarketingChannel,
    RequestChannel,
    RequestKind,
    RequestState,
    VerificationMethod,
)


class MarketingConsent(models.Model):
    """PRIV-4: one step of a person's marketing consent on one channel.

    Rows are never changed: giving or withdrawing consent adds a row, and the
    latest row of a person and channel is the consent in force. ``address`` is
    the email address or the E.164 number the consent was given for.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marketing_consents"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=MarketingChannel.choices)
    given = models.BooleanField(_("consent given"))
    address = models.CharField(_("address or number"), max_length=254)
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "channel", "-at", "-id"])]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        state = "given" if self.given else "withdrawn"
        return f"{self.person_id} {self.channel} {state} at {self.at:%Y-%m-%d %H:%M}"


class InboundSms(models.Model):
    """PRIV-4: a text message received from a person (a reply to a marketing text).

    Every message is kept with what it did: an opt-out (STOP and its variants)
    or a rejection with the reason; a message the carrier delivers twice is kept once.
    """

    from_number = models.CharField(_("from"), max_length=20, db_index=True)  # E.164
    body = models.CharField(_("message"), max_length=1600)
    received_at = models.DateTimeField(_("received"), db_index=True)  # PRIV-8: the retention run
    outcome = models.CharField(max_length=20, choices=InboundSmsOutcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    consents_withdrawn = models.PositiveSmallIntegerField(default=0)
    # The carrier's id of the message (empty for texts entered by staff): a retried delivery is
    # recognised and handled once.
    carrier_message_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["carrier_message_id"],
                condition=~models.Q(carrier_message_id=""),
                name="privacy_inboundsms_carrier_message_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_number}: {self.outcome}"


class CookieChoice(models.Model):
    """PRIV-5: a visitor's choice of cookies, with the version of the cookie policy it answers.

    ``anonymous_id`` is the random id kept in the choice cookie; ``user`` is set
    when the visitor was logged in. Every choice is a new row.
    """

    anonymous_id = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cookie_choices",
    )
    choice = models.CharField(_("choice"), max_length=20, choices=CookieChoiceValue.choices)
    at = models.DateTimeField(_("when"))
    policy_version = models.CharField(_("cookie policy version"), max_length=20)

    class Meta:
        ordering = ["-at", "-id"]
        # Retention (PRIV-8) deletes by the time of the choice.
        indexes = [models.Index(fields=["at"], name="privacy_cookiechoice_at")]

    def __str__(self) -> str:
        return f"{self.anonymous_id}: {self.choice} at {self.at:%Y-%m-%d %H:%M}"


class Disclosure(models.Model):
    """PRIV-9: personal data given to an authority: who asked, what was given, on which basis.

    Recorded by the DPO with ``services.record_disclosure``; the only way data
    leaves the operator other than the customer's own access (PRIV-2).
    """

    authority = models.CharField(_("authority"), max_length=200)
    requester_name = models.CharField(_("requester's name"), max_length=200)
    given = models.TextField(_("what was given"))
    legal_basis = models.CharField(_("legal basis"), max_length=500)
    reference = models.CharField(_("their reference"), max_length=200)
    disclosed_on = models.DateField(_("date of the disclosure"))
    customer = models.ForeignKey(
        "accounts.Customer",
        null=True,
        blank=True,
        # A disclosure outlives nothing silently: the customer is not deleted under it.
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        indexes = [
            models.Index(fields=["customer", "disclosed_on"]),
            # Read by the retention run, oldest first (PRIV-8).
            models.Index(fields=["disclosed_on"], name="privacy_disclosure_made"),
        ]

    def __str__(self) -> str:
        return f"{self.disclosed_on} {self.authority} {self.reference}"


class LegalHold(models.Model):
    """PRIV-8: while a hold on a customer is in force, retention deletes none of their data.

    Placed by the DPO with a reason (a dispute, an investigation), or implied by a
    disclosure to an authority that names the customer (PRIV-9); in force until the
    DPO releases it, with the reason for the release.
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(_("reason"))
    disclosure = models.OneToOneField(
        Disclosure, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_hold"
    )
    placed_at = models.DateTimeField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_reason = models.TextField(_("reason for the release"), blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [
            # The holds in force, read by every retention run.
            models.Index(
                fields=["customer"],
                condition=Q(released_at__isnull=True),
                name="privacy_legalhold_in_force",
            ),
            # The released holds, read by the retention run by their release (PRIV-8).
            models.Index(
                fields=["released_at"],
                condition=Q(released_at__isnull=False),
                name="privacy_legalhold_released",
            ),
        ]

    def __str__(self) -> str:
        state = "released" if self.released_at else "in force"
        return f"hold on {self.customer_id} ({state})"

    @property
    def in_force(self) -> bool:
        return self.released_at is None


class PolicyOptOut(models.Model):
    """PRIV-12: a customer opted out of the new use of data a privacy policy version announced.

    One row per customer and version, recorded by a person of the customer through the
    link in the announcement; the new use of data does not apply to them.
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="policy_opt_outs"
    )
    version = models.ForeignKey(
        "documents.DocumentVersion", on_delete=models.PROTECT, related_name="opt_outs"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "version"], name="privacy_policy_opt_out_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} opted out of {self.version_id}"


class PrivacyRequest(models.Model):
    """PRIV-6, PRIV-7: a person's request about their own personal data, and its answer.

    Access, rectification and erasure requests share one model and one clock:
    ``due_at`` is one month after receipt, stored when the request is received;
    ``answer_by`` is the deadline in force (``due_at``, or three months after
    receipt once extended within the first month). Every step is a service in
    ``privacy.services.rights`` that writes an event.
    """

    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.PROTECT, related_name="privacy_requests"
    )
    # The person the request is about (always the requester: PRIV-6 withholds others' data).
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="privacy_requests",
    )
    details = models.TextField(_("what is asked"), blank=True)
    channel = models.CharField(_("received by"), max_length=10, choices=RequestChannel.choices)
    ticket_reference = models.CharField(_("ticket"), max_length=12, blank=True)
    received_at = models.DateTimeField(_("received"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_at = models.DateTimeField(_("due (one month)"))
    answer_by = models.DateTimeField(_("to answer by"))
    extended_at = models.DateTimeField(null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    extension_reason = models.TextField(_("why more time is needed"), blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_method = models.CharField(
        _("identity verified by"), max_length=20, choices=VerificationMethod.choices, blank=True
    )
    verification_notes = models.TextField(_("notes on the verification"), blank=True)
    more_proof_asked_at = models.DateTimeField(null=True, blank=True)
    more_proof_asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    doubt = models.TextField(_("the reasonable doubt about the identity"), blank=True)
    fee_minor = models.BigIntegerField(_("fee (minor units)"), default=0)
    fee_currency = models.CharField(max_length=3, blank=True)
    fee_ground = models.CharField(
        _("ground for the fee"), max_length=24, choices=FeeGround.choices, blank=True
    )
    fee_reason = models.TextField(_("why the fee applies"), blank=True)
    fee_set_at = models.DateTimeField(null=True, blank=True)
    fee_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RequestState.choices, default=RequestState.RECEIVED
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The DPO's list of open requests by deadline.
            models.Index(fields=["state", "answer_by"], name="privacyrequest_open_due"),
            models.Index(fields=["person", "kind", "received_at"], name="privacyrequest_person"),
            # PRIV-8: the answered requests, read by the retention run in the order answered.
            models.Index(
                fields=["completed_at"],
                condition=Q(completed_at__isnull=False),
                name="privacyrequest_answered",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=RequestState.COMPLETED) | Q(completed_at__isnull=False),
                name="privacyrequest_completed_has_time",
            ),
            # PRIV-6: a fee only with its ground and reason recorded.
            models.CheckConstraint(
                condition=Q(fee_minor=0) | (~Q(fee_ground="") & ~Q(fee_reason="")),
                name="privacyrequest_fee_needs_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.kind} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in RequestState.open_states()


class DataExport(models.Model):
    """PRIV-6: the archive answering an access request, downloaded once through a signed link.

    Built by the worker (``privacy.services.exports.make_export``); the download empties
    ``archive`` and sets ``downloaded_at``, and the link stops working at
    ``expires_at`` (by the clock), after which ``tick`` empties the archive too.
    """

    request = models.OneToOneField(PrivacyRequest, on_delete=models.CASCADE, related_name="export")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    archive = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    files = models.JSONField(default=list)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    # When ``archive`` was emptied: on download, or by ``tick`` once the link has expired.
    emptied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(emptied_at__isnull=True),
                name="dataexport_to_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"export of {self.request_id} ({self.size} bytes)"


class RetentionDue(models.Model):
    """PRIV-8: a kind of data of a customer whose contract ended, still to be retired.

    One row per customer and register entry kept "until the end of the contract" plus a
    period, written when the contract ends (``billing.hooks.contract_ended``) with the
    moment its period counts from; the retention run deletes or anonymises the data once
    the register's period has passed, then deletes the row. The rows left are what is
    still kept, so a run reads only what is due (the index on ``counted_from``).
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="retention_due"
    )
    entry = models.CharField(max_length=30)  # a register entry's key
    market = models.CharField(max_length=2)
    contract_ended_at = models.DateTimeField()
    counted_from = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["customer", "entry"], name="privacy_retention_due_once")
        ]
        indexes = [
            models.Index(
                fields=["entry", "market", "counted_from"], name="privacy_retention_due_at"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} of {self.customer_id} from {self.counted_from:%Y-%m-%d}"
