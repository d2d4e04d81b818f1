"""Reads of the console: finding customers."""

from __future__ import annotations

import re

import phonenumbers
from django.db.models import Q, QuerySet

from officeline.accounts.models import Customer
from officeline.markets.definitions import MARKETS

MAX_RESULTS = 50
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_NOT_DIGIT = re.compile(r"\D")


def _phone_candidates(query: str) -> set[str]:
    """The E.164 forms a typed phone number may have, read in each market's country."""
    found = set()
    for market in MARKETS.values():
        try:
            number = phonenumbers.parse(query, market.country)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            found.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return found


def search_customers(query: str) -> QuerySet[Customer]:
    """Customers whose name, email, company number or phone matches ``query``.

    Names and emails match in part, case-insensitively, and so do the names and
    emails of the customer's people; a company number matches without its
    spaces; a phone number matches in national or international form.
    """
    query = query.strip()
    if not query:
        return Customer.objects.none()
    condition = (
        Q(legal_name__icontains=query)
        | Q(contact_name__icontains=query)
        | Q(email__icontains=query)
        | Q(people__email__icontains=query)
        | Q(people__full_name__icontains=query)
    )
    compact = _NOT_ALNUM.sub("", query)
    if compact:
        condition |= Q(company_number__iexact=compact) | Q(vat_number__iexact=compact)
    digits = _NOT_DIGIT.sub("", query)
    if len(digits) >= 6:
        condition |= Q(phone__in=_phone_candidates(query)) | Q(phone__contains=digits)
    ids = Customer.objects.filter(condition).values("pk")
    return Customer.objects.filter(pk__in=ids).order_by("legal_name", "pk")
