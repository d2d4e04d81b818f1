"""Forms of the privacy app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# PRIV-4: the sign-up boxes and the account page's boxes say the same, and start unticked.
MARKETING_EMAIL_LABEL = _("Send me news and offers from Officeline by email.")
MARKETING_SMS_LABEL = _("Send me news and offers from Officeline by text message (SMS).")


class MarketingFieldsMixin(forms.Form):
    """Two boxes, never ticked by default (PRIV-4)."""

    marketing_email = forms.BooleanField(label=MARKETING_EMAIL_LABEL, required=False, initial=False)
    marketing_sms = forms.BooleanField(label=MARKETING_SMS_LABEL, required=False, initial=False)


class MarketingPreferencesForm(MarketingFieldsMixin):
    pass
