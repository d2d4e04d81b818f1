"""The register of processing (PRIV-1), kept as data.

Each ``RegisterEntry`` is one kind of personal data the service stores: what it
is, why (purpose), on which legal basis, where it is stored, who receives it,
and how long it is kept in each market. The DPO reads it in the console
(``/console/privacy/register/``) and it is published under the privacy policy
(``/documents/<market>/privacy_policy/``).

``MODELS`` says, for every model that holds personal data, which entries its
rows belong to, and names the fields of a model that are not personal. A test
(``test_register.py``) walks every installed model's fields and fails when a
model holds personal data that no entry lists. A new kind of data is added here, its
entry in the register and its models in ``MODELS``: the classification of every model of
the project lives here, keyed by model label, so that no app has to import privacy.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from officeline.accounts.choices import FORMER_STAFF_KEPT_MONTHS
from officeline.markets.choices import MarketCode
from officeline.privacy.choices import LegalBasis
from officeline.usage.choices import CALL_LOG_DEFAULT_MONTHS, VOICEMAIL_DEFAULT_DAYS


@dataclass(frozen=True)
class RetentionPeriod:
    """How long an entry's data is kept in one market, counted from ``counted_from``.

    ``months`` is the length; ``in_years`` only changes how it reads
    ("1 year" in fr, "12 months" in uk for the same traffic data, PRIV-8).
    ``months=None`` means "while the account lasts" (deleted with it), unless ``days``
    gives a length in days instead (voicemail, PRIV-3).
    ``start`` says when a period counted from the end of the contract starts, for the
    retention run (PRIV-8): ``CONTRACT_END``, or ``FINANCIAL_YEAR_END`` (the end of the
    financial year in which the contract ended); "" for a period counted from the data
    itself.
    """

    months: int | None
    counted_from: Any  # a lazy translation: "the call", "the end of the contract"
    in_years: bool = False
    days: int | None = None
    start: str = ""

    def __str__(self) -> str:
        if self.days is not None:
            length = ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
            return _("%(length)s after %(start)s") % {"length": length, "start": self.counted_from}
        if self.months is None:
            return str(self.counted_from)
        if self.in_years and self.months % 12 == 0:
            years = self.months // 12
            length = ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
        else:
            length = ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months}
        return _("%(length)s after %(start)s") % {"length": length, "start": self.counted_from}


@dataclass(frozen=True)
class RegisterEntry:
    """PRIV-1: one kind of personal data and how it is processed."""

    key: str
    name: Any
    data: Any  # what it holds
    purpose: Any
    legal_basis: tuple[LegalBasis, ...]
    storage: Any
    recipients: Any
    retention: dict[str, RetentionPeriod]

    def retention_in(self, market: str) -> RetentionPeriod:
        return self.retention[market]

    @property
    def legal_basis_labels(self) -> list[str]:
        return [str(basis.label) for basis in self.legal_basis]

    @property
    def stored(self) -> bool:
        """False while no model holds this data yet (it comes with a later part of the service)."""
        return bool(models_of(self.key))


@dataclass(frozen=True)
class ModelClass:
    """How one model's rows are classified: the entries they belong to, and the fields
    that are not personal (identifiers, states, timestamps, settings)."""

    entries: tuple[str, ...] = ()
    not_personal: frozenset[str] = field(default_factory=frozenset)
    reason: str = ""  # why a model with no entry holds no personal data

    @property
    def personal(self) -> bool:
        return bool(self.entries)


DB = _("The operator's database, in the operator's data centre in the market's region")
NOBODY = _("Nobody outside the operator")


def _same(period: RetentionPeriod) -> dict[str, RetentionPeriod]:
    return dict.fromkeys(MarketCode.values, period)


# PRIV-8: when a period counted from the end of the contract starts (``RetentionPeriod.start``).
CONTRACT_END = "contract_end"
FINANCIAL_YEAR_END = "financial_year_end"

AFTER_CONTRACT_UK_FR = {
    # D: the limitation period for contract claims (uk 6 years, Limitation Act 1980 s.5;
    # fr 5 years, Code civil art. 2224).
    "uk": RetentionPeriod(72, _("the end of the contract"), in_years=True, start=CONTRACT_END),
    "fr": RetentionPeriod(60, _("the end of the contract"), in_years=True, start=CONTRACT_END),
}

CONTACTS_UNTIL = _("the end of the contract (the operator's staff: until they leave)")
FINANCIAL_YEAR = _("the end of the financial year in which the contract ended")

_ENTRIES: dict[str, RegisterEntry] = {}


def add_entry(entry: RegisterEntry) -> RegisterEntry:
    """Add (or replace) an entry of the register; every market must have a retention."""
    missing = set(MarketCode.values) - set(entry.retention)
    if missing:
        raise ValueError(f"register entry {entry.key}: no retention for {sorted(missing)}")
    _ENTRIES[entry.key] = entry
    return entry


def entries() -> list[RegisterEntry]:
    """The register, in a stable order."""
    return list(_ENTRIES.values())


def entry(key: str) -> RegisterEntry:
    return _ENTRIES[key]


def after_contract() -> list[RegisterEntry]:
    """The entries whose retention counts from the end of the contract (PRIV-8)."""
    return [item for item in entries() if any(p.start for p in item.retention.values())]


for _entry in (
    RegisterEntry(
        key="account_data",
        name=_("Account data"),
        data=_(
            "The business's name, company number, VAT number, contact name, email, phone, "
            "postal address, language, accessibility needs and preferred format; its lines, "
            "numbers, devices and emergency locations."
        ),
        purpose=_("Providing the service, billing, customer service, emergency location."),
        legal_basis=(LegalBasis.CONTRACT, LegalBasis.LEGAL_OBLIGATION),
        storage=DB,
        recipients=_(
            "Telephony operators for routing and emergency calls; the emergency services "
            "receive the line's number and location when it calls them."
        ),
        retention=AFTER_CONTRACT_UK_FR,
    ),
    RegisterEntry(
        key="contacts",
        name=_("Contacts and logins"),
        data=_(
            "The people who log in (the customer's Office Manager and members, the operator's "
            "staff): name, email, language, role, password hash, second-factor secrets, API "
            "tokens; representatives named on a complaint."
        ),
        purpose=_("Letting people log in and act for the business; security."),
        legal_basis=(LegalBasis.CONTRACT, LegalBasis.LEGITIMATE_INTEREST),
        storage=DB,
        recipients=NOBODY,
        # The customer's people are the account's contacts: kept as long as the account data.
        retention={
            market: dataclasses.replace(period, counted_from=CONTACTS_UNTIL)
            for market, period in AFTER_CONTRACT_UK_FR.items()
        },
    ),
    RegisterEntry(
        key="former_staff",
        name=_("Former staff members"),
        data=_(
            "An operator staff member who left: their name, email, role and when they left, "
            "kept so that the events and the staff access log go on saying who did what. "
            "Their login goes the day their departure is recorded: password, second-factor "
            "secrets and recovery codes, API tokens and sessions are removed at once."
        ),
        purpose=_(
            "Accountability: answering for what staff did on customers' accounts and data "
            "(PRIV-10)."
        ),
        legal_basis=(LegalBasis.LEGITIMATE_INTEREST, LegalBasis.LEGAL_OBLIGATION),
        storage=DB,
        recipients=NOBODY,
        # PRIV-8 (D): staff act in every market, so the longest limitation period of the
        # markets (uk 6 years, Limitation Act 1980 s.5), counted from the day they left (their
        # last act); then the login row becomes "Former staff member <id>" with an address at
        # ``erased.invalid``, and the events still point to it without naming the person.
        retention=_same(RetentionPeriod(FORMER_STAFF_KEPT_MONTHS, _("they leave"), in_years=True)),
    ),
    RegisterEntry(
        key="traffic_data",
        name=_("Traffic data"),
        data=_(
            "For each call: date, time, duration, cost, the numbers calling and called, and "
            "the equipment used (PRIV-2)."
        ),
        purpose=_("Billing, answering enquiries, investigating fraud (PRIV-2)."),
        legal_basis=(LegalBasis.CONTRACT, LegalBasis.LEGAL_OBLIGATION),
        storage=DB,
        recipients=_(
            "Nobody outside the operator, except the customer's own access request or a "
            "recorded disclosure required by law (PRIV-2, PRIV-9)."
        ),
        retention={
            # PRIV-8 (D): traffic data, uk 12 months, fr 1 year.
            "uk": RetentionPeriod(12, _("the call")),
            "fr": RetentionPeriod(12, _("the call"), in_years=True),
        },
    ),
    RegisterEntry(
        key="call_logs",
        name=_("Call logs"),
        data=_(
            "The call history shown to the customer in the portal: their call records within "
            "the market's limits on how many and how long (PRIV-3), not a copy of them."
        ),
        purpose=_("A convenience for the customer (PRIV-3)."),
        legal_basis=(LegalBasis.CONTRACT,),
        storage=DB,
        recipients=NOBODY,
        # PRIV-3: the default; each market's page shows the operator's limit (selectors.py).
        retention=_same(RetentionPeriod(CALL_LOG_DEFAULT_MONTHS, _("the call"))),
    ),
    RegisterEntry(
        key="voicemails",
        name=_("Voicemails"),
        data=_(
            "Messages left on a line when it is not answered, is busy or has no phone "
            "connected: the recording, the caller's number, when and how long, and whether it "
            "was listened to. Faxes are not offered, so none are received or kept."
        ),
        purpose=_("A convenience for the customer (PRIV-3); confidential (PRIV-11)."),
        legal_basis=(LegalBasis.CONTRACT,),
        storage=_(
            "The operator's file storage (the recording) and database (the details), in the "
            "operator's data centre in the market's region"
        ),
        recipients=NOBODY,
        # PRIV-3: the default; each market's page shows the operator's limit (selectors.py).
        retention=_same(RetentionPeriod(None, _("the message"), days=VOICEMAIL_DEFAULT_DAYS)),
    ),
    RegisterEntry(
        key="payment_tokens",
        name=_("Payment tokens"),
        data=_(
            "The payment provider's token for the card, its brand, last four digits and "
            "expiry; never the card number."
        ),
        purpose=_("Taking payment for the service."),
        legal_basis=(LegalBasis.CONTRACT,),
        storage=_("The operator's database (token only); the card is at the payment provider"),
        recipients=_("The payment provider."),
        retention=_same(RetentionPeriod(13, _("the card is removed"))),
    ),
    RegisterEntry(
        key="invoices",
        name=_("Invoices and payments"),
        data=_("Invoices, their lines, amounts, payments and the billing address."),
        purpose=_("Billing and accounting."),
        legal_basis=(LegalBasis.CONTRACT, LegalBasis.LEGAL_OBLIGATION),
        storage=DB,
        recipients=_("The payment provider; the tax authorities when they ask."),
        # D: accounting records, kept while the contract lasts (the customer reads them in the
        # portal) and then for the accounting retention, counted from the end of the financial
        # year of the last invoice (the year in which the contract ended): uk 6 years (Value
        # Added Tax Act 1994 Sch. 11 para. 6; Companies Act 2006 s.388), fr 10 years (Code de
        # commerce art. L123-22).
        retention={
            "uk": RetentionPeriod(72, FINANCIAL_YEAR, in_years=True, start=FINANCIAL_YEAR_END),
            "fr": RetentionPeriod(120, FINANCIAL_YEAR, in_years=True, start=FINANCIAL_YEAR_END),
        },
    ),
    RegisterEntry(
        key="tickets",
        name=_("Tickets, complaints and notices"),
        data=_(
            "What the customer raised with support, complaints and their letters, formal "
            "notices either way."
        ),
        purpose=_("Customer service, the complaints code, disputes."),
        legal_basis=(LegalBasis.CONTRACT, LegalBasis.LEGAL_OBLIGATION),
        storage=DB,
        recipients=_("The ADR scheme or the court, when the customer takes a dispute there."),
        retention=AFTER_CONTRACT_UK_FR,
    ),
    RegisterEntry(
        key="consents",
        name=_("Consents and signatures"),
        data=_(
            "Acceptance of the terms (who, when, address, browser, version), marketing "
            "consent per channel, with when and how they were given, the replies to marketing "
            "texts, and opt-outs from a materially changed use of data (PRIV-12)."
        ),
        purpose=_("Proving what was agreed; honouring the choices (PRIV-4, PRIV-5)."),
        legal_basis=(LegalBasis.LEGAL_OBLIGATION, LegalBasis.CONSENT),
        storage=DB,
        recipients=NOBODY,
        retention=AFTER_CONTRACT_UK_FR,
    ),
    RegisterEntry(
        key="unknown_sms_replies",
        name=_("Texts from unknown numbers"),
        data=_(
            "Text messages received in reply to marketing texts from a number that no "
            "customer and none of a customer's people gave: the number, the message, when it "
            "arrived and what was done with it."
        ),
        purpose=_("Showing that a reply to a marketing text was handled (PRIV-4)."),
        legal_basis=(LegalBasis.LEGITIMATE_INTEREST,),
        storage=DB,
        recipients=NOBODY,
        # PRIV-8 (D): such a reply withdraws no one's consent and proves nothing about a
        # customer; it is kept only to show it was handled. A reply from a number a customer
        # or one of its people gave stays with the consents (``consents``) while the number
        # is known when the retention run reads it.
        retention=_same(RetentionPeriod(None, _("the text is received"), days=30)),
    ),
    RegisterEntry(
        key="cookie_choices",
        name=_("Cookie choices"),
        data=_(
            "Each answer to the cookie banner: the choice, when, the cookie policy version, "
            "and the browser's random id or the logged-in person (PRIV-5)."
        ),
        purpose=_("Proving the consent behind the performance cookie (PRIV-5)."),
        legal_basis=(LegalBasis.LEGAL_OBLIGATION,),
        storage=DB,
        recipients=NOBODY,
        # PRIV-8 (D): the longest a cookie set under a choice lives (13 months, cookies.py).
        retention=_same(RetentionPeriod(13, _("the choice"))),
    ),
    RegisterEntry(
        key="privacy_requests",
        name=_("Privacy requests and disclosures"),
        data=_(
            "Access, rectification and erasure requests and their answers; disclosures to "
            "authorities (who asked, what was given, on which basis); legal holds on a "
            "customer's data, with their reasons."
        ),
        purpose=_("Answering the customer's rights; accountability (PRIV-6, PRIV-7, PRIV-9)."),
        legal_basis=(LegalBasis.LEGAL_OBLIGATION,),
        storage=DB,
        recipients=_("The requester; the authority named in a disclosure."),
        retention=_same(
            RetentionPeriod(
                36,
                _("the request is answered, the disclosure made or the legal hold released"),
                in_years=True,
            )
        ),
    ),
    RegisterEntry(
        key="logs",
        name=_("Logs"),
        data=_(
            "What happened on the account and who did it (events), the emails sent, staff "
            "access to personal data (PRIV-10), login sessions and the admin log."
        ),
        purpose=_("Security, accountability, timelines shown to the customer."),
        legal_basis=(LegalBasis.LEGITIMATE_INTEREST, LegalBasis.LEGAL_OBLIGATION),
        storage=DB,
        recipients=NOBODY,
        retention=AFTER_CONTRACT_UK_FR,
    ),
):
    add_entry(_entry)


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


# Every model that holds personal data, and the fields of each that are not personal.
# Models with no entry name every field that looks personal in ``not_personal`` (the
# test flags fields whose name, type or link suggests personal data).
MODELS: dict[str, ModelClass] = {
    # An operator staff member's login is a contact until they leave, then a former staff
    # member's record (PRIV-8).
    "accounts.user": ModelClass(
        ("contacts", "former_staff"),
        _fields("id", "is_superuser", "is_staff", "is_active", "staff_role", "forget_at"),
    ),
    "accounts.customer": ModelClass(("account_data",), _fields("id", "market", "status")),
    "accounts.termsacceptance": ModelClass(("consents",), _fields("id", "document_sha256")),
    "accounts.notice": ModelClass(("tickets",), _fields("id", "direction", "reference")),
    "accounts.operator": ModelClass(
        reason="the operator, a company", not_personal=_fields("name", "website")
    ),
    "accounts.operatormarket": ModelClass(
        reason="the operator's published details",
        not_personal=_fields(
            "legal_name",
            "company_number",
            "vat_number",
            "registered_office",
            "support_phone",
            "support_email",
            "postal_address",
            "adr_scheme_name",
            "adr_scheme_contact",
        ),
    ),
    "accounts.building": ModelClass(
        reason="a coworking building's address",
        not_personal=_fields("name", "address_line1", "address_line2", "city", "postcode"),
    ),
    "lines.line": ModelClass(
        ("account_data",),
        _fields(
            "id",
            "status",
            "in_use_abroad",
            "premium_calls_allowed",
            "international_calls_allowed",
            "spend_limit_reached_at",
        ),
    ),
    "lines.device": ModelClass(("account_data",), _fields("id", "kind", "sip_domain")),
    "lines.number": ModelClass(
        reason="a number of a building's pool; whose line it is, is on the line",
        not_personal=_fields("e164", "building"),
    ),
    # PRIV-2: call records and the SIP core's call events behind them are traffic data.
    # PRIV-3, PRIV-11: a voicemail message; the recording is a file under the media root.
    "usage.voicemail": ModelClass(
        ("voicemails",), _fields("id", "call_id", "received_at", "duration_seconds", "listened_at")
    ),
    "usage.callrecord": ModelClass(
        ("traffic_data",),
        _fields("id", "call_id", "direction", "destination_type", "disposition", "sip_code"),
    ),
    "telephony.callevent": ModelClass(
        ("traffic_data",), _fields("id", "event_id", "call_id", "kind", "route", "code")
    ),
    # A phone's registration: its device's username, address and user agent (the equipment used).
    "telephony.registration": ModelClass(
        ("traffic_data",), _fields("id", "ruid", "domain", "expires", "last_modified")
    ),
    "billing.paymentmethod": ModelClass(("payment_tokens",), _fields("id", "provider")),
    "billing.sandboxcard": ModelClass(
        reason="the sandbox payment provider's side, standing for the card network",
        not_personal=_fields("token", "brand", "last4"),
    ),
    "billing.sandboxcharge": ModelClass(
        reason="the sandbox payment provider's side, standing for the card network",
        not_personal=_fields("idempotency_key", "token", "message", "description", "reference"),
    ),
    "billing.pricelist": ModelClass(
        reason="the operator's prices", not_personal=_fields("effective_from", "created_by")
    ),
    "billing.invoicesequence": ModelClass(
        reason="a counter of invoice numbers", not_personal=_fields("last_number")
    ),
    "billing.billingaccount": ModelClass(("invoices",), _fields("id", "market", "anchor")),
    "billing.subscription": ModelClass(("invoices",), _fields("id", "billing_starts_on")),
    "billing.invoice": ModelClass(
        ("invoices",), _fields("id", "number", "run_key", "vat_minor", "status")
    ),
    "billing.invoiceline": ModelClass(
        ("invoices",), _fields("id", "kind", "vat_rate_bp", "vat_minor")
    ),
    "billing.termination": ModelClass(
        ("account_data",), _fields("id", "kind", "next_period_billed")
    ),
    "billing.payment": ModelClass(("invoices",), _fields("id", "idempotency_key", "outcome")),
    "privacy.disclosure": ModelClass(
        ("privacy_requests",), _fields("id", "disclosed_on", "recorded_at")
    ),
    # PRIV-12: a customer's opt-out from a materially changed use of data.
    "privacy.policyoptout": ModelClass(("consents",), _fields("id", "at", "version")),
    # PRIV-8: what of a customer whose contract ended is still kept, and from when it counts.
    "privacy.retentiondue": ModelClass(
        reason="a list of data still to retire (PRIV-8), naming only the customer's id",
        not_personal=_fields("customer", "counted_from"),
    ),
    # PRIV-8: a legal hold on a customer's data, with its reason and who placed it.
    "privacy.legalhold": ModelClass(
        ("privacy_requests",), _fields("id", "placed_at", "released_at", "disclosure")
    ),
    "accounts.accesslogentry": ModelClass(
        ("logs",), _fields("id", "kind", "subject_type", "subject_id", "url_name")
    ),
    "support.ticket": ModelClass(("tickets",), _fields("id", "reference", "category", "channel")),
    "support.complaint": ModelClass(("tickets",), _fields("id", "state")),
    "support.complaintdeadline": ModelClass(("tickets",), _fields("id", "kind")),
    "support.billingdispute": ModelClass(
        ("tickets",), _fields("id", "route", "status", "dispute_by")
    ),
    "support.letter": ModelClass(("tickets",), _fields("id", "kind", "delivery")),
    "notifications.outboxmessage": ModelClass(("logs",), _fields("id", "status", "kind")),
    "notifications.outboxattachment": ModelClass(("logs",), _fields("id", "content_type")),
    "events.event": ModelClass(("logs",), _fields("id", "action", "subject_type")),
    "admin.logentry": ModelClass(("logs",), _fields("id", "action_flag")),
    "sessions.session": ModelClass(("logs",), _fields("expire_date")),
    "accounts.apitoken": ModelClass(
        ("contacts",), _fields("id", "client", "created_at", "expires_at")
    ),
    "account.emailaddress": ModelClass(("contacts",), _fields("id", "verified", "primary")),
    "account.emailconfirmation": ModelClass(("contacts",), _fields("id")),
    "mfa.authenticator": ModelClass(("contacts",), _fields("id", "type")),
    "documents.documentreview": ModelClass(
        reason="a staff review of a published code", not_personal=_fields("reviewed_by", "notes")
    ),
    "documents.document": ModelClass(reason="a published document"),
    "documents.documentversion": ModelClass(
        reason="a published document", not_personal=_fields("body", "effective_from")
    ),
    "markets.closureday": ModelClass(
        reason="an operator closure day", not_personal=_fields("reason")
    ),
    "markets.referencerate": ModelClass(
        reason="a central bank's published reference rate", not_personal=_fields("effective_from")
    ),
    "clock.testclock": ModelClass(reason="the test clock"),
    "clock.tickrun": ModelClass(reason="a record of due work run"),
    "auth.permission": ModelClass(
        reason="Django permissions", not_personal=_fields("name", "content_type")
    ),
    "auth.group": ModelClass(reason="Django groups", not_personal=_fields("name")),
    "contenttypes.contenttype": ModelClass(
        reason="Django content types", not_personal=_fields("app_label")
    ),
    # PRIV-4: marketing consent per person and channel, and the replies to marketing texts.
    "privacy.marketingconsent": ModelClass(
        ("consents",), _fields("id", "channel", "given", "method", "at")
    ),
    # A reply from a number no customer or customer's person gave has its own period (PRIV-8).
    "privacy.inboundsms": ModelClass(
        ("consents", "unknown_sms_replies"),
        _fields("id", "received_at", "outcome", "reason", "consents_withdrawn"),
    ),
    # PRIV-5: cookie choices (a random id kept in the choice cookie, or the logged-in person).
    "privacy.cookiechoice": ModelClass(
        ("cookie_choices",), _fields("id", "choice", "at", "policy_version")
    ),
    # PRIV-6, PRIV-7: requests for a copy, a correction or the deletion of a person's data.
    "privacy.privacyrequest": ModelClass(
        ("privacy_requests",),
        _fields(
            "id",
            "reference",
            "kind",
            "channel",
            "ticket_reference",
            "received_at",
            "due_at",
            "answer_by",
            "extended_at",
            "verified_at",
            "verification_method",
            "more_proof_asked_at",
            "fee_minor",
            "fee_currency",
            "fee_ground",
            "fee_set_at",
            "state",
            "completed_at",
        ),
    ),
    # PRIV-6: the copy of a person's data answering their access request (emptied once downloaded).
    "privacy.dataexport": ModelClass(
        ("privacy_requests",),
        _fields(
            "id",
            "created_at",
            "expires_at",
            "size",
            "sha256",
            "files",
            "downloaded_at",
            "emptied_at",
        ),
    ),
    # BILL-11: a line's plan history is account data; a billed call, listed on the
    # itemized statement, is part of the invoice (kept as long as invoices are).
    "billing.lineplan": ModelClass(("account_data",), _fields("id", "plan", "effective_at")),
    "billing.billedcall": ModelClass(("invoices",), _fields("id", "minutes", "rate_minor")),
    # BILL-10: a third-party charge billed to a customer's number is invoice data.
    "billing.thirdpartycharge": ModelClass(("invoices",), _fields("id", "source", "reference")),
    # BILL-8: what an invoice paid late owes is invoice data.
    "billing.latepaymentcharge": ModelClass(
        ("invoices",), _fields("id", "debt_minor", "currency", "due_on", "until")
    ),
    "billing.abnormaluseperiod": ModelClass(
        ("account_data",), _fields("id", "starts_at", "ends_at")
    ),
    # BILL-5: a credit note's refund to the card is invoice data, like the payment it undoes.
    "billing.refund": ModelClass(("invoices",), _fields("id", "idempotency_key", "status")),
    "billing.sandboxrefund": ModelClass(
        reason="the sandbox payment provider's side, standing for the card network",
        not_personal=_fields("idempotency_key", "message", "description", "reference"),
    ),
    "billing.sandboxcarriercharge": ModelClass(
        reason="the sandbox carrier's side, standing for the carrier's own records",
        not_personal=_fields("reference", "phone_number", "service", "description"),
    ),
    # PORT-2: a customer's written claim for a late port and what was paid for it.
    "billing.portingcompensation": ModelClass(
        ("invoices",),
        _fields("id", "days_late", "monthly_fee_minor", "amount_minor", "currency"),
    ),
    # PRIV-1: which line's number changed, and a customer's report of a defective device.
    "lines.numberchange": ModelClass(
        ("account_data",), _fields("id", "status", "old_number", "new_number")
    ),
    "lines.replacementrequest": ModelClass(("tickets",), _fields("id", "status", "device")),
    # LIFE-6: the operator's planned work on its network; who scheduled it is staff.
    "lines.maintenance": ModelClass(
        reason="the operator's planned work on its network",
        not_personal=_fields("description_en", "description_fr", "urgent_reason", "scheduled_by"),
    ),
    # PORT-1: a port request names the customer and the number they take in or out.
    "lines.portrequest": ModelClass(
        ("account_data",),
        _fields("id", "direction", "state", "agreed_date", "due_date", "completed_on"),
    ),
    # AUP-2: a review case is written correspondence with the customer, with its evidence
    # (a sample of the line's calls) kept as the record of the review, like a ticket.
    "usage.usereviewcase": ModelClass(
        ("tickets",),
        _fields(
            "id",
            "kind",
            "status",
            "signals",
            "first_day",
            "last_day",
            "opened_at",
            "respond_by",
            "for_decision_at",
            "decision_reason",
            "closed_at",
        ),
    ),
    # What a line called in a period, summed: counts, no number.
    "usage.lineperiodusage": ModelClass(
        reason="counts of a line's calls in a service period, naming no number",
        not_personal=_fields("line"),
    ),
    "accounts.user_groups": ModelClass(("contacts",)),
    "accounts.user_user_permissions": ModelClass(("contacts",)),
}


def classify(model_label: str, classification: ModelClass) -> None:
    """Classify a model (``"app_label.model"``) that another app brings."""
    unknown = [key for key in classification.entries if key not in _ENTRIES]
    if unknown:
        raise ValueError(f"{model_label}: no register entry {unknown}")
    MODELS[model_label.lower()] = classification


def models_of(entry_key: str) -> list[str]:
    """The model labels whose rows belong to an entry."""
    return sorted(label for label, c in MODELS.items() if entry_key in c.entries)
