"""Forms of the accounts app's console pages, and the reason asked before a look at a
customer's communications (PRIV-11)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from officeline.accounts.models import User


def operator_staff() -> QuerySet[User]:
    """The operator's staff, past and present (customers' people are not)."""
    return User.objects.filter(customer__isnull=True).filter(
        ~Q(staff_role="") | Q(is_staff=True) | Q(is_superuser=True)
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class StaffDepartureForm(forms.Form):
    """PRIV-8: who left, and on which day."""

    user = StaffChoiceField(
        label=_("Staff member"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the operator's staff.")},
    )
    left_on = forms.DateField(
        label=_("Left on"),
        help_text=_("Today or an earlier day (YYYY-MM-DD)."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field: Any = self.fields["user"]
        user_field.queryset = operator_staff().order_by("full_name", "email")


REASON_FORM_MARKER = "access_reason_form"


class AccessReasonForm(forms.Form):
    """PRIV-11: why a staff member needs to see a customer's communications."""

    reason = forms.CharField(
        label=_("Why do you need to see this?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only to keep the service working or as the law allows (name the ticket, the fault "
            "or the legal request). Your reason is logged with your name and the time."
        ),
    )
