"""Factories for the lines app; every app's tests build numbers, lines, devices and ports with
these (customers and people come from ``accounts.tests.factories``).

A line and a device are made by the services, as the portal makes them, so that what other
apps do when a line is asked for (billing's subscription) happens as it does in use.
"""

from __future__ import annotations

from typing import Any

import factory
from rest_framework.test import APIClient

from officeline import clock
from officeline.accounts.models import User
from officeline.accounts.tests.factories import BuildingFactory, CustomerFactory, api_token_for
from officeline.lines.choices import DeviceKind, PortDirection
from officeline.lines.models import Device, Line, Number, PortRequest
from officeline.lines.services import lines


class NumberFactory(factory.django.DjangoModelFactory):
    """A free number of a building's pool, in the building's market."""

    class Meta:
        model = Number

    building = factory.SubFactory(BuildingFactory)
    market = factory.SelfAttribute("building.market")
    e164 = factory.LazyAttributeSequence(
        lambda o, n: f"+331987{n:05d}" if o.market == "fr" else f"+441174{n:05d}"
    )


class LineFactory(factory.django.DjangoModelFactory):
    """An active line, opened as the portal opens it (``services.lines.open_line``): the limits
    of emergency calls acknowledged and the building's address confirmed as its location.
    By default on a new number of the customer's building."""

    class Meta:
        model = Line

    customer = factory.SubFactory(CustomerFactory)
    number = factory.SubFactory(
        NumberFactory, building=factory.SelfAttribute("..customer.building")
    )
    actor = None

    @classmethod
    def _create(cls, model_class: type[Line], *args: Any, **kwargs: Any) -> Line:
        return lines.open_line(
            customer=kwargs["customer"],
            number=kwargs["number"],
            actor=kwargs.get("actor"),
            limitations_acknowledged=True,
            location_confirmed=True,
        )


class DeviceFactory(factory.django.DjangoModelFactory):
    """A device of a line with its own SIP credentials (``services.lines.add_device``); the
    password, kept nowhere, is on the object as ``password`` for the test."""

    class Meta:
        model = Device

    line = factory.SubFactory(LineFactory)
    kind = DeviceKind.DESK_PHONE
    label = ""
    password = None

    @classmethod
    def _create(cls, model_class: type[Device], *args: Any, **kwargs: Any) -> Device:
        device, password = lines.add_device(
            line=kwargs["line"],
            kind=kwargs["kind"],
            label=kwargs["label"],
            password=kwargs["password"],
            actor=None,
        )
        device.password = password  # type: ignore[attr-defined]
        return device


class PortRequestFactory(factory.django.DjangoModelFactory):
    """A port-in asked for (PORT-1), after the warning (PORT-3), to the customer's building."""

    class Meta:
        model = PortRequest

    customer = factory.SubFactory(CustomerFactory)
    direction = PortDirection.IN
    e164 = factory.Sequence(lambda n: f"+441632{n:05d}")
    building = factory.SelfAttribute("customer.building")
    other_provider = "Other Telecom"
    requested_at = factory.LazyFunction(clock.now)
    warning_acknowledged_at = factory.SelfAttribute("requested_at")


def client_for(user: User) -> APIClient:
    """An API client that sends a token of ``user``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client
