"""Demo data of the accounts app: the operator, buildings, customers, staff."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from officeline import clock
from officeline.accounts.choices import CustomerRole, StaffRole
from officeline.accounts.models import Building, Customer, Operator, OperatorMarket, User
from officeline.demo import DemoReport

DEMO_PASSWORD = "officeline-demo-2026"

OPERATOR_MARKETS = {
    "uk": {
        "legal_name": "Officeline Communications Ltd",
        "company_number": "09876543",
        "vat_number": "GB123456782",
        "registered_office": "1 Example Yard, London EC1A 1AA, United Kingdom",
        "support_phone": "+44 20 7946 0000",
        "support_email": "support@officeline.test",
        "postal_address": "Complaints, Officeline, 1 Example Yard, London EC1A 1AA",
        "support_hours": "Monday to Friday, 8am to 6pm",
        "adr_scheme_name": "Ombudsman Services: Communications",
        "adr_scheme_contact": "PO Box 730, Warrington WA4 6WU; 0330 440 1614; osenquiries@os-communications.org",
        "adr_scheme_url": "https://www.ombudsman-services.org/sectors/communications",
        "compensation_schemes": "Ofcom's automatic compensation scheme does not apply to business lines; "
        "porting delays are compensated under our terms.",
        "maintenance_and_warranty": "We maintain the network and replace defective equipment we supplied at no cost.",
    },
    "fr": {
        "legal_name": "Officeline France SAS",
        "company_number": "732829320",
        "vat_number": "FR44732829320",
        "registered_office": "10 rue de l'Exemple, 75002 Paris, France",
        "support_phone": "+33 1 99 00 00 00",
        "support_email": "support-fr@officeline.test",
        "postal_address": "Réclamations, Officeline France, 10 rue de l'Exemple, 75002 Paris",
        "support_hours": "Du lundi au vendredi, de 9 h à 18 h",
        "adr_scheme_name": "Tribunal de commerce de Paris",
        "adr_scheme_contact": "1 quai de la Corse, 75004 Paris",
        "adr_scheme_url": "https://www.greffe-tc-paris.fr",
        "compensation_schemes": "Les retards de portabilité sont indemnisés selon nos conditions générales.",
        "maintenance_and_warranty": "Nous remplaçons gratuitement l'équipement défectueux que nous avons fourni.",
    },
}

BUILDINGS = {
    "uk": {
        "name": "Officeline Shoreditch",
        "address_line1": "12 Example Street",
        "city": "London",
        "postcode": "EC2A 4NE",
    },
    "fr": {
        "name": "Officeline Sentier",
        "address_line1": "8 rue de l'Exemple",
        "city": "Paris",
        "postcode": "75002",
    },
}

CUSTOMERS: dict[str, dict[str, Any]] = {
    "uk": {
        "legal_name": "Bramble & Finch Ltd",
        "company_number": "12345678",
        "vat_number": "GB980780684",
        "contact_name": "Alex Bramble",
        "email": "office@bramble-finch.test",
        "phone": "+442079460123",
        "address_line1": "12 Example Street, Desk 4",
        "city": "London",
        "postcode": "EC2A 4NE",
        "workers_count": 6,
        "language": "en",
    },
    "fr": {
        "legal_name": "Atelier Lumière SARL",
        "company_number": "542107651",
        "vat_number": "FR13542107651",
        "contact_name": "Camille Lumière",
        "email": "bureau@atelier-lumiere.test",
        "phone": "+33199001234",
        "address_line1": "8 rue de l'Exemple, bureau 12",
        "city": "Paris",
        "postcode": "75002",
        "workers_count": 14,
        "language": "fr",
    },
}


def seed(report: DemoReport) -> None:
    now = clock.now()
    operator, _ = Operator.objects.get_or_create(pk=1, defaults={"name": "Officeline"})
    for market, fields in OPERATOR_MARKETS.items():
        OperatorMarket.objects.get_or_create(
            market=market, defaults={"operator": operator, **fields}
        )
    for market, fields in BUILDINGS.items():
        building, _ = Building.objects.get_or_create(
            name=fields["name"], defaults={"market": market, **fields}
        )
        customer_fields = CUSTOMERS[market]
        customer, _ = Customer.objects.get_or_create(
            legal_name=customer_fields["legal_name"],
            defaults={"market": market, "building": building, "created_at": now, **customer_fields},
        )
        manager_email = f"manager@{customer_fields['email'].split('@')[1]}"
        _user(
            manager_email,
            full_name=customer_fields["contact_name"],
            customer=customer,
            customer_role=CustomerRole.OFFICE_MANAGER,
            language=customer_fields["language"],
        )
        report.login(f"Office Manager ({market})", manager_email, DEMO_PASSWORD)
    for role in StaffRole:
        email = f"{role.value}@officeline.test"
        _user(email, full_name=str(role.label), staff_role=role.value, is_staff=True)
        report.login(f"Staff: {role.label}", email, DEMO_PASSWORD)
    report.place("Portal (Office Manager)", "/")
    report.place("Staff console", "/console/")


def _user(email: str, **fields: object) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, **fields)  # type: ignore[arg-type]
    # Logins are confirmed addresses; the demo's are confirmed from the start.
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
