"""Forms of the documents app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
    )
