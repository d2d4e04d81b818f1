"""PDF documents (letters, invoices) rendered from HTML templates with WeasyPrint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(
    template: str, context: Mapping[str, Any], *, language: str, large_print: bool = False
) -> bytes:
    """Render ``template`` (HTML) in ``language`` to PDF bytes.

    ``large_print`` (INFO-3) sets the body type to 18pt; templates extend
    ``notifications/letter_base.html``, which reads it.
    """
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(
            template, {"large_print": large_print, "language": language, **context}
        )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
