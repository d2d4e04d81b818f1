"""Rendering the documents' Markdown safely.

Raw HTML in a text is escaped, not passed through (``html`` off), and
markdown-it refuses ``javascript:``, ``vbscript:``, ``file:`` and ``data:``
link targets, so a text cannot put script into a page. Bare web addresses in
a text become links.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


# A bare http(s) address, not already in a link or an autolink, without trailing punctuation.
_BARE_URL = re.compile(r"(?<![<(\[\w/])(https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"»])")


def _autolink(text: str) -> str:
    return _BARE_URL.sub(r"<\1>", text)


@lru_cache(maxsize=64)
def _render(text: str) -> str:
    return _renderer().render(_autolink(text))


def render_markdown(text: str) -> SafeString:
    """HTML of a Markdown text, with any HTML in the text escaped."""
    return mark_safe(_render(text))  # noqa: S308 - markdown-it escapes raw HTML (html=False)
