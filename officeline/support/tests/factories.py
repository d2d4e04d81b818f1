from __future__ import annotations

from officeline.accounts.choices import StaffRole
from officeline.accounts.tests.factories import (
    CustomerFactory,
    OfficeManagerFactory,
    OperatorMarketFactory,
    StaffFactory,
)
from officeline.support import services
from officeline.support.choices import Category, Channel


def agent():
    return StaffFactory(staff_role=StaffRole.AGENT)


def supervisor():
    return StaffFactory(staff_role=StaffRole.SUPERVISOR)


def director():
    return StaffFactory(staff_role=StaffRole.DIRECTOR)


def manager(market: str = "uk", **customer_fields):
    OperatorMarketFactory(market=market)
    return OfficeManagerFactory(customer=CustomerFactory(market=market, **customer_fields))


def complaint(
    user, *, subject: str = "Calls drop after a minute", category: str = Category.TECHNICAL
):
    ticket = services.raise_ticket(
        customer=user.customer,
        actor=user,
        subject=subject,
        description="Every call drops.",
        category=category,
        channel=Channel.PORTAL,
        is_complaint=True,
    )
    return ticket.complaint
