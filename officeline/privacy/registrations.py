"""What the privacy app registers with the apps below it at start-up (``PrivacyConfig.ready``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from officeline import clock, navigation
from officeline.billing.hooks import on_contract_ended
from officeline.billing.models import Termination
from officeline.documents import appendices
from officeline.documents.choices import DocumentKind
from officeline.notifications.delivery import register_marketing_check
from officeline.privacy.selectors import register_for_market
from officeline.privacy.services.after_contract import record_contract_end
from officeline.privacy.services.exports import empty_expired_exports
from officeline.privacy.services.marketing import marketing_check
from officeline.privacy.services.retention import apply_retention, held_customer_ids
from officeline.usage.services.voicemail import register_held_customers


def register_pages() -> None:
    navigation.console("privacy_console:register", _("Register of processing"), order=70)
    navigation.console("privacy_console:access_log", _("Staff access log"), order=71)
    navigation.console("privacy_console:disclosures", _("Disclosures to authorities"), order=72)
    navigation.console("privacy_console:legal_holds", _("Legal holds"), order=73)
    # PRIV-12: who opted out of a materially changed privacy policy.
    navigation.console(
        "privacy_console:policy_opt_outs", _("Opt-outs from policy changes"), order=75
    )
    navigation.console("privacy_console:requests", _("Privacy requests"), order=74)
    # PRIV-6, PRIV-7: the person's own requests in the portal; staff record the others.
    navigation.portal("privacy_portal:requests", _("Your data"), order=85)
    navigation.customer_link(
        "privacy_console:record_request", _("Record a privacy request"), order=60
    )


def register_retention() -> None:
    # PRIV-8: data past the register's retention is deleted by tick.
    clock.register("privacy.retention")(apply_retention)
    # PRIV-8: what is kept after the end of the contract is listed when it ends.
    on_contract_ended(_contract_ended)
    # PRIV-6: an export whose download link expired unused is emptied.
    clock.register("privacy.empty_expired_exports")(empty_expired_exports)


def register_publications() -> None:
    # PRIV-1: the register is published under the privacy policy of each market.
    appendices.register(DocumentKind.PRIVACY_POLICY, "privacy/_register.html", register_for_market)


def register_marketing() -> None:
    # PRIV-4: a marketing email leaves the outbox only while the consent is in force.
    register_marketing_check(marketing_check)


def register_voicemail() -> None:
    # PRIV-3, PRIV-8: the voicemail limits spare the messages of customers under a legal hold.
    register_held_customers(held_customer_ids)


def _contract_ended(*, termination: Termination, at: dt.datetime) -> None:
    record_contract_end(
        customer_id=termination.customer_id, market=termination.customer.market, at=at
    )
