"""Published history of the reference rates for late-payment interest (BILL-8).

Each series is a plain list of (date the rate took effect, rate in basis points),
oldest first; the data migration ``0003_reference_rate_history`` loads it. The first entry
of each series is the rate already in force in December 2021. Later changes are
added by the operator in the console (``/console/reference-rates/``).
"""

from __future__ import annotations

import datetime as dt

from officeline.markets.definitions import MARKETS

D = dt.date

# ECB, key interest rates: main refinancing operations (fixed rate tenders),
# with the date each change took effect.
ECB_MRO: list[tuple[dt.date, int]] = [
    (D(2016, 3, 16), 0),
    (D(2022, 7, 27), 50),
    (D(2022, 9, 14), 125),
    (D(2022, 11, 2), 200),
    (D(2022, 12, 21), 250),
    (D(2023, 2, 8), 300),
    (D(2023, 3, 22), 350),
    (D(2023, 5, 10), 375),
    (D(2023, 6, 21), 400),
    (D(2023, 8, 2), 425),
    (D(2023, 9, 20), 450),
    (D(2024, 6, 12), 425),
    (D(2024, 9, 18), 365),
    (D(2024, 10, 23), 340),
    (D(2024, 12, 18), 315),
    (D(2025, 2, 5), 290),
    (D(2025, 3, 12), 265),
    (D(2025, 4, 23), 240),
    (D(2025, 6, 11), 215),
]

# Bank of England, Official Bank Rate history ("date changed", "rate").
BOE_BANK_RATE: list[tuple[dt.date, int]] = [
    (D(2020, 3, 19), 10),
    (D(2021, 12, 16), 25),
    (D(2022, 2, 3), 50),
    (D(2022, 3, 17), 75),
    (D(2022, 5, 5), 100),
    (D(2022, 6, 16), 125),
    (D(2022, 8, 4), 175),
    (D(2022, 9, 22), 225),
    (D(2022, 11, 3), 300),
    (D(2022, 12, 15), 350),
    (D(2023, 2, 2), 400),
    (D(2023, 3, 23), 425),
    (D(2023, 5, 11), 450),
    (D(2023, 6, 22), 500),
    (D(2023, 8, 3), 525),
    (D(2024, 8, 1), 500),
    (D(2024, 11, 7), 475),
    (D(2025, 2, 6), 450),
    (D(2025, 5, 8), 425),
    (D(2025, 8, 7), 400),
    (D(2025, 12, 18), 375),
]

SERIES: dict[str, list[tuple[dt.date, int]]] = {"ecb_mro": ECB_MRO, "boe_base": BOE_BANK_RATE}

SOURCES: dict[str, str] = {
    "ecb_mro": "ECB, key interest rates: main refinancing operations",
    "boe_base": "Bank of England, Official Bank Rate history",
}


def rows() -> list[tuple[str, dt.date, int, str]]:
    """(market, effective_from, rate_bp, source) for every market's series."""
    out = []
    for code, market in MARKETS.items():
        key = market.interest.reference_rate
        out += [(code, day, bp, SOURCES[key]) for day, bp in SERIES[key]]
    return out
