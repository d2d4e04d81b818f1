"""Forms of the documents app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from officeline.documents.choices import DataUse


class PublishVersionForm(forms.Form):
    """A new version of a published document (INFO-2): a new text with its own date."""

    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.CharField(label=_("Version"), max_length=20)
    last_updated = forms.DateField(
        label=_("Last updated"), widget=forms.DateInput(attrs={"type": "date"})
    )
    body = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 20}), max_length=200_000
    )
    summary_of_changes = forms.CharField(
        label=_("What changed (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Required for a material change: customers are emailed this summary."),
    )
    material_change = forms.BooleanField(
        label=_("Material change"),
        required=False,
        help_text=_(
            "Terms: a change that may materially disadvantage customers (LIFE-5). Privacy "
            "policy: a change that uses data materially differently (PRIV-12). Every customer "
            "who reads this document is emailed at once, and the version takes effect one "
            "month later at the earliest."
        ),
    )
    new_uses = forms.MultipleChoiceField(
        label=_("New uses of data"),
        required=False,
        choices=DataUse.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Privacy policy, material change only: the uses of data it introduces. A customer "
            "who opts out is left out of them (PRIV-12)."
        ),
    )
    effective_from = forms.DateField(
        label=_("Takes effect on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a version in force as soon as it is published."),
    )
