"""The rule book: each promise the service keeps, under an ID that never changes.

The code that decides a rule names its ID (``# CMP-3``, or in a docstring) where the decision
is made, and at least one test names it in its name or docstring. The docs site renders this
module as its rules page (``docs/hooks/rulebook.py``), listing beside each rule the modules and
tests that cite it; ``officeline/tests/test_rules.py`` fails when code cites an ID missing here,
or when no test names a rule listed here.

"Configurable" below means a per-market operator parameter whose default is the value given.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Family:
    """A group of rules sharing an ID prefix."""

    prefix: str
    title: str


@dataclass(frozen=True)
class Rule:
    """One rule: its ID and what it requires, in one sentence."""

    id: str
    statement: str

    @property
    def prefix(self) -> str:
        return self.id.partition("-")[0]


FAMILIES: tuple[Family, ...] = (
    Family("INFO", "What the operator publishes"),
    Family("ACC", "Accounts, sign-up and the terms"),
    Family("LINE", "Lines, numbers and equipment"),
    Family("PORT", "Moving numbers between providers"),
    Family("EMG", "Emergency calls"),
    Family("AUP", "Acceptable use"),
    Family("LIFE", "Suspension, ending the service and changes"),
    Family("BILL", "Charges, invoices and payment"),
    Family("CMP", "Complaints"),
    Family("DISP", "Dispute routes in the fr market"),
    Family("PRIV", "Personal data, consent and cookies"),
)

RULES: tuple[Rule, ...] = (
    # INFO
    Rule("INFO-1", "Each market has a public information page built from the operator's settings:"
         " who the operator is, what the service includes, charges, maintenance and "
         "warranty, contact channels, compensation, the ADR scheme and where the terms "
         "are."),
    Rule("INFO-2", "Every published document carries a version and its last-updated date, and "
         "staff see when the quarterly review of each code is due or overdue."),
    Rule("INFO-3", "A customer can say what accessibility needs it has and in which format it "
         "wants written answers; every written outcome follows that choice."),
    Rule("INFO-4", "Tickets can be raised at any hour and are receipted at once."),
    # ACC
    Rule("ACC-1", "Only businesses may sign up, and the person signing up confirms being 18 or "
         "older; anything else is refused."),
    Rule("ACC-2", "Accepting the terms is an electronic signature: who, when, from which address "
         "and which exact version are recorded."),
    Rule("ACC-3", "Sign-up requires the business's and person's contact details and a card, which"
         " is kept only as the payment provider's token; optional fields say so."),
    Rule("ACC-4", "The account records the business's headcount, since ten or fewer people "
         "changes the dispute routes open to it."),
    Rule("ACC-5", "The operator's notices go to the account email; the customer sends notices "
         "through the portal or support."),
    Rule("ACC-6", "Strong passwords are required, and portal and SIP credentials are kept only in"
         " a hashed form suited to how each is checked."),
    # LINE
    Rule("LINE-1", "A line has a number, SIP credentials, devices and a registered emergency "
         "location."),
    Rule("LINE-2", "A number the operator gave out may be replaced by the operator, once the "
         "customer has been told."),
    Rule("LINE-3", "An ended line's number sits in quarantine for 90 days before it can be "
         "reused; a port-out asked for after the end has taken effect is refused, "
         "saying why."),
    Rule("LINE-4", "A report of stolen equipment or fraud blocks the device's credentials "
         "immediately."),
    Rule("LINE-5", "Faulty equipment the operator supplied is replaced free of charge, and each "
         "replacement is tracked."),
    # PORT
    Rule("PORT-1", "Ports in and out are tracked with their state and due date (one business day "
         "after the agreed port date, configurable)."),
    Rule("PORT-2", "A port finished after its due date entitles the customer, on a written claim,"
         " to the monthly fee x 12 / 365 per calendar day late; paying it settles that "
         "delay."),
    Rule("PORT-3", "Before signing up and before any port, the customer is told that porting may "
         "not always be possible."),
    # EMG
    Rule("EMG-1", "No line is activated without a registered location, the address of its "
         "building."),
    Rule("EMG-2", "Adding, changing or porting a number asks the customer to confirm the line's "
         "location, and staff see the lines still unconfirmed."),
    Rule("EMG-3", "An emergency number of the line's market is always routed to the emergency "
         "service with the line's number and location, before suspension, barring, "
         "limits or any other rule."),
    Rule("EMG-4", "Emergency calling works only inside the market's country: customers are "
         "warned, and a line flagged as used abroad is refused clearly rather than "
         "silently."),
    Rule("EMG-5", "At activation the customer acknowledges the limits of emergency calls (power, "
         "internet, abroad, location), and the acknowledgement is kept."),
    # AUP
    Rule("AUP-1", "Calling is for normal small-business use; short-call, call-count, destination "
         "and monthly-minute thresholds (configurable) signal abnormal use."),
    Rule("AUP-2", "A sign of abnormal use starts a review case with its evidence and a notice to "
         "the customer; with no answer, or no return to normal, by the deadline (14 "
         "days, configurable) the line may be moved to the per-minute plan."),
    Rule("AUP-3", "Prohibited uses such as auto-dialling, trunking and continuous conferencing "
         "are flagged for review, and may end the service."),
    Rule("AUP-4", "When the service ends for abnormal use, the calls of the abnormal periods are "
         "billed at the per-minute rates."),
    # LIFE
    Rule("LIFE-1", "Every suspension records one of the allowed grounds, and none blocks "
         "emergency calls."),
    Rule("LIFE-2", "The operator may end the service for convenience with 15 days' notice, or at "
         "once on the listed grounds (carrier agreement ended, non-payment, breach, "
         "insolvency, regulatory change)."),
    Rule("LIFE-3", "A customer can cancel whenever they like; the cancellation applies 5 business"
         " days after the request, with no refund for unused service."),
    Rule("LIFE-4", "When the operator suspends or ends the service, everything owed falls due at "
         "once; reactivation is the operator's choice and may cost a fee "
         "(configurable)."),
    Rule("LIFE-5", "A change of terms gets a new last-updated date; one that may harm customers "
         "is emailed a month ahead, with the right to leave without penalty."),
    Rule("LIFE-6", "Planned maintenance is announced to the customers it affects, with notice "
         "where feasible (48 hours, configurable)."),
    # BILL
    Rule("BILL-1", "Each line's flat monthly fee is charged to the card in advance of each "
         "period, with the other charges."),
    Rule("BILL-2", "A line is charged from the 7th day after its activation was requested, "
         "whether it is used or not."),
    Rule("BILL-3", "Periods are monthly from the account's anchor day (its first line's billing "
         "start), on the month's last day when it has no such day; a later line is "
         "billed pro rata up to the next period, then with the account."),
    Rule("BILL-4", "Cancelling 5 business days or more before the next period avoids its charge; "
         "later, it is billed, and part-periods are not refunded."),
    Rule("BILL-5", "Every charge has an electronic VAT invoice with the market's required "
         "mentions and an itemized statement; amounts are exact minor units."),
    Rule("BILL-6", "The customer may stop automatic charging; the card may still be charged for "
         "30 days after the written revocation, and not after."),
    Rule("BILL-7", "A card that expired or was replaced has to be renewed; updates from the card "
         "network need no fresh consent; if the bank stops a payment, the account ends."),
    Rule("BILL-8", "Unpaid invoices follow the dunning schedule (warn, suspend, end; "
         "configurable) and owe late-payment interest at the market's reference rate "
         "plus margin, with the market's fixed recovery fee."),
    Rule("BILL-9", "There are no service credits for outages."),
    Rule("BILL-10", "What third parties bill to one of our numbers is recharged at cost, plus a "
         "percentage fee (configurable)."),
    Rule("BILL-11", "A commercial plan charged by the minute exists, for lines moved to it."),
    Rule("BILL-12", "A business of more than ten people must contest a charge in writing within "
         "10 days or lose the right; micro-businesses use the complaints process "
         "instead."),
    Rule("BILL-13", "Price changes are announced and take effect under the same rule as changes "
         "of terms (LIFE-5)."),
    # CMP
    Rule("CMP-1", "Complaints arrive by ticket or by phone (recorded by staff), possibly from an "
         "authorised representative, and carry their subject and facts."),
    Rule("CMP-2", "A complaint settled at first contact is closed with its outcome recorded."),
    Rule("CMP-3", "Every complaint is acknowledged within 1 business day."),
    Rule("CMP-4", "Within 1 business day a representative looks at it, handing it to a "
         "supervisor, or to engineering or the carrier (target 5 business days), when "
         "needed."),
    Rule("CMP-5", "The customer gets an update at least every 5 business days."),
    Rule("CMP-6", "The target for resolution is 8 weeks from first receipt."),
    Rule("CMP-7", "The outcome is always sent, in the customer's preferred format."),
    Rule("CMP-8", "A proposed resolution with no reply within 5 business days closes the "
         "complaint as resolved."),
    Rule("CMP-9", "A complaint left unresolved, or whose handling the customer is unhappy with, "
         "escalates to the Director of Customer Service, whose decision comes within 5 "
         "days."),
    Rule("CMP-10", "Harm, urgency, vulnerability or repetition may send a complaint straight to "
         "escalation; repetition is detected automatically."),
    Rule("CMP-11", "When asked for, a deadlock letter is sent, except on one of three allowed "
         "grounds, and a refusal names its ground."),
    Rule("CMP-12", "After 8 weeks without resolution the customer gets a written notice of the "
         "ADR right, except for vexatious complaints or those beyond the scheme's "
         "remit; deadlock letters also state that right."),
    Rule("CMP-13", "ADR is open only to businesses of ten or fewer, and the letter names the "
         "scheme and how to reach it."),
    Rule("CMP-14", "Every complaint keeps a full timeline of contacts, updates, escalations, "
         "letters and decisions, with who and when."),
    # DISP
    Rule("DISP-1", "In fr, larger businesses go to arbitration after 60 days unresolved and "
         "micro-businesses to the Paris commercial court; letters say which."),
    # PRIV
    Rule("PRIV-1", "A register lists each kind of personal data with its purpose, legal basis, "
         "storage, recipients and retention."),
    Rule("PRIV-2", "Traffic data serves billing, enquiries and fraud work, and leaves the "
         "operator only with the customer's authority or by law."),
    Rule("PRIV-3", "Call logs and voicemail are conveniences kept within per-market limits "
         "(configurable) on count and age."),
    Rule("PRIV-4", "Marketing needs consent (never pre-ticked), and every marketing message can "
         "be refused by unsubscribe link or a STOP reply."),
    Rule("PRIV-5", "Only necessary and performance cookies are used, performance ones only after "
         "consent; each choice is kept and may be revised."),
    Rule("PRIV-6", "Access requests are verified, free unless unfounded or excessive "
         "(configurable fee), answered within one month (extendable for complex ones) "
         "with a machine-readable copy that withholds other people's data."),
    Rule("PRIV-7", "People correct their own data in the portal; requests to correct or erase are"
         " tracked like access requests."),
    Rule("PRIV-8", "A scheduled job deletes or anonymises data past its retention, except what a "
         "legal hold or a period set by law keeps."),
    Rule("PRIV-9", "Disclosures to authorities are recorded with who, what and the legal basis."),
    Rule("PRIV-10", "Every staff look at a customer's personal or traffic data is logged."),
    Rule("PRIV-11", "Staff reach customers' communications only to keep the service running or as"
         " the law allows, giving a reason that is logged."),
    Rule("PRIV-12", "A privacy-policy change that uses data materially differently is announced, "
         "and customers may opt out of it."),
)  # fmt: skip

# An ID of one of the families: how code and tests cite a rule.
_PREFIXES = "|".join(family.prefix for family in FAMILIES)
ID_PATTERN = re.compile(rf"\b(?:{_PREFIXES})-[0-9]+\b")


def by_id() -> dict[str, Rule]:
    """The rules keyed by their ID."""
    return {rule.id: rule for rule in RULES}


def rules_of(family: Family) -> list[Rule]:
    """The rules of one family, in the book's order."""
    return [rule for rule in RULES if rule.prefix == family.prefix]


# Where citations are looked for: the package's source, templates and texts; not its
# translations (they repeat the templates' strings), its generated migrations, this book
# or the book's own test.
PACKAGE = Path(__file__).resolve().parent
CITING_SUFFIXES = frozenset({".py", ".html", ".txt", ".md"})
NOT_CITING = frozenset({"locale", "static", "migrations", "__pycache__"})
NOT_CITING_FILES = frozenset({Path("rules.py"), Path("tests/test_rules.py")})


@dataclass
class Citations:
    """Where one ID is named: ``(path relative to the repository, line)`` in code and in tests."""

    code: list[tuple[str, int]] = field(default_factory=list)
    tests: list[tuple[str, int]] = field(default_factory=list)


def is_test(path: Path) -> bool:
    """A test module or fixture file: under a ``tests`` folder, or a ``conftest.py``."""
    return "tests" in path.parts or path.name == "conftest.py"


def citations(package: Path = PACKAGE) -> dict[str, Citations]:
    """Every rule ID named under ``package``, with where: read from the files, so that the
    rules page and the rule book's test always see the code as it is."""
    found: defaultdict[str, Citations] = defaultdict(Citations)
    root = package.parent
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if path.suffix not in CITING_SUFFIXES or NOT_CITING & set(relative.parts):
            continue
        if relative in NOT_CITING_FILES or not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, start=1):
            for rule_id in dict.fromkeys(ID_PATTERN.findall(line)):
                side = found[rule_id].tests if is_test(relative) else found[rule_id].code
                side.append((name, number))
    return dict(found)
