"""PRIV-1: the register of processing lists every kind of personal data the models hold."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from officeline.markets.choices import MarketCode
from officeline.privacy import register

# A field "looks personal" when its name, its type or what it links to says so.
PERSONAL_NAME = re.compile(
    r"(^|_)(email|phone|name|address|ip|e164|number|user_agent|contact|postcode|city|"
    r"representative|caller|callee|from|to|body|description|message|notes|text|content|pdf|"
    r"recording|location|label|reason|secret|password|token|key|data|by|user|customer|person|"
    r"comment|office|website|registered|legal|vat|company|repr|fingerprint|last4|brand)(_|$)"
)
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField, models.BinaryField)
PERSON_MODELS = {settings.AUTH_USER_MODEL.lower(), "accounts.customer"}


def looks_personal(field: models.Field) -> bool:
    related = field.related_model if field.is_relation else None
    if related is not None and related._meta.label_lower in PERSON_MODELS:
        return True
    return isinstance(field, PERSONAL_TYPES) or bool(PERSONAL_NAME.search(field.name))


def unlisted_personal_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that look personal and that the register does not account for."""
    label = model._meta.label_lower
    classification = register.MODELS.get(label)
    fields = model._meta.concrete_fields
    if classification is not None and classification.personal:
        return []  # every field not named as not personal belongs to the model's entries
    not_personal = classification.not_personal if classification else frozenset()
    return [f.name for f in fields if looks_personal(f) and f.name not in not_personal]


def test_priv1_every_model_with_personal_data_is_in_the_register():
    problems = []
    for model in apps.get_models(include_auto_created=True):
        unlisted = unlisted_personal_fields(model)
        if unlisted:
            problems.append(f"{model._meta.label_lower}: {', '.join(unlisted)}")
    assert not problems, (
        "these models hold what looks like personal data that the register of processing "
        "does not list; classify them in officeline/privacy/register.py (MODELS): "
        + "; ".join(problems)
    )


def test_priv1_the_check_catches_an_unlisted_model():
    class Unlisted(models.Model):
        customer = models.ForeignKey("accounts.Customer", on_delete=models.CASCADE)
        caller_number = models.CharField(max_length=20)
        duration_seconds = models.IntegerField()

        class Meta:
            app_label = "privacy"
            managed = False

        def __str__(self) -> str:
            return self.caller_number

    try:
        assert unlisted_personal_fields(Unlisted) == ["customer", "caller_number"]
    finally:
        apps.all_models["privacy"].pop("unlisted", None)
        apps.clear_cache()


def test_priv1_classifications_name_real_entries_and_fields():
    installed = {m._meta.label_lower: m for m in apps.get_models(include_auto_created=True)}
    for label, classification in register.MODELS.items():
        for key in classification.entries:
            register.entry(key)  # raises KeyError for an unknown entry
        if label not in installed:
            continue  # a model of an app this deployment does not install
        names = {f.name for f in installed[label]._meta.concrete_fields}
        assert classification.not_personal <= names, (
            label,
            classification.not_personal - names,
        )
        assert classification.personal or classification.reason, label


def test_priv1_every_entry_has_purpose_basis_storage_recipients_and_retention_per_market():
    keys = {e.key for e in register.entries()}
    assert {
        "account_data",
        "contacts",
        "traffic_data",
        "call_logs",
        "voicemails",
        "payment_tokens",
        "tickets",
        "consents",
        "logs",
    } <= keys
    for item in register.entries():
        assert item.purpose and item.storage and item.recipients and item.legal_basis
        for market in MarketCode.values:
            assert str(item.retention_in(market))


def test_priv8_traffic_data_retention_is_12_months_uk_and_1_year_fr():
    traffic = register.entry("traffic_data")
    assert traffic.retention_in("uk").months == 12
    assert traffic.retention_in("fr").months == 12
    with translation.override("en"):
        assert str(traffic.retention_in("uk")) == "12 months after the call"
        assert str(traffic.retention_in("fr")) == "1 year after the call"


def test_priv1_an_entry_without_retention_for_a_market_is_refused():
    with pytest.raises(ValueError, match="no retention"):
        register.add_entry(
            register.RegisterEntry(
                key="x",
                name="x",
                data="x",
                purpose="x",
                legal_basis=(),
                storage="x",
                recipients="x",
                retention={"uk": register.RetentionPeriod(1, "x")},
            )
        )
    with pytest.raises(ValueError, match="no register entry"):
        register.classify("privacy.nothing", register.ModelClass(("no_such_entry",)))
