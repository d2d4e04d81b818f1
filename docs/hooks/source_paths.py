"""MkDocs hook: every repository path a page names in code spans must exist.

The pages name modules and folders (`officeline/billing/interest.py`, `scripts/test.sh`);
when code moves, a page naming the old place fails the strict build instead of misleading
its reader. Paths with a placeholder (`<app>`) or a wildcard are not checked.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PATH = re.compile(r"`((?:officeline|bench|scripts|docs)/[^`\s]*)`")
log = logging.getLogger("mkdocs.plugins.source_paths")


def missing_paths(markdown: str) -> list[str]:
    """The paths named in ``markdown`` that the repository does not have."""
    named = (m.group(1) for m in PATH.finditer(markdown))
    return [p for p in named if not any(c in p for c in "<*{") and not (ROOT / p).exists()]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    for path in missing_paths(markdown):
        log.warning("%s names %s, which does not exist", page.file.src_path, path)
    return markdown
