"""Sections other apps add under a published document.

In ``AppConfig.ready()``::

    from officeline.documents import appendices
    appendices.register("privacy_policy", "privacy/_register.html", register_context)

``context(market)`` returns the template's context for one market; the section
is shown under the document's text on its public page. The privacy app adds the
register of processing (PRIV-1) under the privacy policy this way, so that the
documents app does not depend on it. The key ``INFO_PAGE`` adds a section to the
information page of a market instead (the lines app lists the planned maintenance there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ContextFunction = Callable[[str], dict[str, Any]]

# Not a document kind: the sections of the information page (INFO-1) of a market.
INFO_PAGE = "info_page"


@dataclass(frozen=True)
class Appendix:
    template_name: str
    context: ContextFunction


_appendices: dict[str, dict[str, Appendix]] = {}


def register(kind: str, template_name: str, context: ContextFunction) -> None:
    _appendices.setdefault(kind, {})[template_name] = Appendix(template_name, context)


def for_document(kind: str, market: str) -> list[dict[str, Any]]:
    """The sections to show under a document of ``kind`` in ``market``, rendered-ready."""
    return [
        {"template_name": a.template_name, "context": a.context(market)}
        for a in _appendices.get(kind, {}).values()
    ]
