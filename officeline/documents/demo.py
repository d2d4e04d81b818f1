"""Demo data of the documents app: the operator's published documents (idempotent)."""

from __future__ import annotations

from officeline.demo import DemoReport
from officeline.documents.services import publish_catalogue
from officeline.markets.choices import MarketCode


def seed(report: DemoReport) -> None:
    publish_catalogue()
    for market in MarketCode.values:
        prefix = "" if market == "uk" else f"/{market}"
        report.place(f"Information page ({market})", f"{prefix}/info/{market}/")
        report.place(f"Published documents ({market})", f"{prefix}/documents/{market}/")
