"""Forms of the lines app: the portal's line, device and report forms, the console's actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from officeline.lines.choices import DeviceKind, SuspensionGround, TheftOrFraud
from officeline.lines.models import Device, Number


class NumberChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.e164)


class RequestLineForm(forms.Form):
    """A new line: its number, then EMG-5 and EMG-1 before it is activated."""

    number = NumberChoiceField(
        queryset=Number.objects.none(),
        label=_("Number"),
        empty_label=None,
        error_messages={
            "required": _("Choose a number."),
            "invalid_choice": _("This number is not available any more; choose another."),
        },
    )
    acknowledge_limitations = forms.BooleanField(
        label=_(
            "I understand that emergency calls will not work during a power cut or an internet "
            "failure, nor from outside the country of the service, and that the emergency "
            "services may not know where we are if the location below is wrong."
        ),
        error_messages={
            "required": _(
                "Please acknowledge the limits of emergency calls before the line is activated."
            )
        },
    )
    confirm_location = forms.BooleanField(
        label=_("The line will be used at this address, its registered emergency location."),
        error_messages={
            "required": _("Please confirm the emergency location before the line is activated.")
        },
    )

    def __init__(self, *args: Any, numbers: QuerySet[Number], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["number"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = numbers


class AddDeviceForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of device"),
        choices=DeviceKind.choices,
        error_messages={
            "required": _("Choose the kind of device."),
            "invalid_choice": _("Choose a desk phone, a softphone or the companion app."),
        },
    )
    label = forms.CharField(
        label=_("Name (optional, e.g. reception desk)"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("Keep the name under 100 characters.")},
    )


class ReportDeviceForm(forms.Form):
    """LINE-4: stolen equipment or fraud; the device is blocked as soon as this is sent."""

    what = forms.ChoiceField(
        label=_("What happened"),
        choices=TheftOrFraud.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether the device was stolen or used for fraud."),
            "invalid_choice": _("Say whether the device was stolen or used for fraud."),
        },
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        error_messages={"max_length": _("Keep the details under 500 characters.")},
    )


class CallBarringForm(forms.Form):
    """The line's opt-ins to the calls barred by default (``lines.services.barring``)."""

    premium_calls_allowed = forms.BooleanField(
        label=_("Allow calls to premium-rate numbers"),
        required=False,
        help_text=_("Numbers charged at a premium, such as 09 in the UK or 089 in France."),
    )
    international_calls_allowed = forms.BooleanField(
        label=_("Allow international calls"),
        required=False,
        help_text=_("Numbers in other countries, and satellite and international networks."),
    )


class AbroadForm(forms.Form):
    """EMG-4: the line is (or is no longer) used outside the market's country."""

    in_use_abroad = forms.TypedChoiceField(
        label=_("Where is this line used?"),
        choices=[
            ("0", _("In the country of the service")),
            ("1", _("Abroad")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Say whether the line is used abroad."),
            "invalid_choice": _("Say whether the line is used abroad."),
        },
    )


class SuspendForm(forms.Form):
    """LIFE-1: a suspension names its ground."""

    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[("", "---------"), *SuspensionGround.choices],
        error_messages={
            "required": _("Choose the ground of the suspension."),
            "invalid_choice": _("Choose one of the grounds listed."),
        },
    )


class NumberChangeForm(forms.Form):
    """LINE-2: the new number and why; the customer reads the reason in the notice."""

    new_number = NumberChoiceField(
        queryset=Number.objects.none(),
        label=_("New number"),
        error_messages={
            "required": _("Choose the new number."),
            "invalid_choice": _("This number is not available any more; choose another."),
        },
    )
    reason = forms.CharField(
        label=_("Why the number changes (the customer reads this)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why the number is changed."),
            "max_length": _("Keep the reason under 300 characters."),
        },
    )

    def __init__(self, *args: Any, numbers: QuerySet[Number], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_number"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = numbers


class ShipmentForm(forms.Form):
    reference = forms.CharField(
        label=_("Shipment reference"),
        max_length=100,
        error_messages={
            "required": _("Give the shipment's tracking reference."),
            "max_length": _("Keep the reference under 100 characters."),
        },
    )


class DeviceChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        name = f" “{obj.label}”" if obj.label else ""
        return f"{obj.line.number.e164} · {obj.get_kind_display()}{name} · {obj.sip_username}"


class ReplacementForm(forms.Form):
    """LINE-5: which desk phone we supplied is defective, and how."""

    device = DeviceChoiceField(
        queryset=Device.objects.none(),
        label=_("Device"),
        empty_label=None,
        error_messages={
            "required": _("Choose the defective device."),
            "invalid_choice": _("Choose one of your desk phones."),
        },
    )
    description = forms.CharField(
        label=_("What is wrong with it"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Describe what is wrong with the device."),
            "max_length": _("Keep the description under 1,000 characters."),
        },
    )

    def __init__(self, *args: Any, devices: QuerySet[Device], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["device"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = devices
