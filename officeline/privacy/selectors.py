"""Reads of the privacy app."""

from __future__ import annotations

from typing import Any

from officeline.markets.definitions import get_market
from officeline.privacy import register


def register_for_market(market: str, *, show_models: bool = False) -> dict[str, Any]:
    """PRIV-1: the register as one market publishes it (each entry with its retention there)."""
    rows = [
        {
            "entry": item,
            "retention": item.retention_in(market),
            "models": register.models_of(item.key),
        }
        for item in register.entries()
    ]
    return {"market": get_market(market), "rows": rows, "show_models": show_models}
