"""MkDocs hook: renders the rule book (``officeline/rules.py``) as the page ``rules.md``.

Each rule is listed with its statement and the places that name its ID, found by reading the
source at build time (``officeline.rules.citations``), so the page follows the code. With
``repo_url`` set in mkdocs.yml the places are links to the repository's files; without it
they are paths.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from officeline import rules  # noqa: E402  (the repository root is on the path only now)

PAGE = "rules.md"
INTRO = """\
# The rule book

Every promise the service keeps has an ID. The rules are defined in `officeline/rules.py`;
the code that decides one names its ID in a comment or docstring, and at least one test
names it too. This page is generated from that module and from a scan of the source when
the site is built: the places listed beside each rule are where its ID appears today.

`officeline/tests/test_rules.py` fails when the code cites an ID that is not in the book,
or when a rule of the book is named by no test. Where a comment or docstring refers to
"RULES.md", it means this rule book.

"Configurable" in a rule means a per-market operator parameter
(`OperatorMarket.parameters`) whose default is the value the rule gives.
"""


def _places(places: list[tuple[str, int]], base: str) -> str:
    """One entry per file, with the lines naming the ID."""
    by_file: dict[str, list[int]] = {}
    for path, line in places:
        by_file.setdefault(path, []).append(line)
    shown = []
    for path, lines in by_file.items():
        numbers = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
        label = f"`{path}` ({numbers})"
        shown.append(f"[{label}]({base}{path}#L{lines[0]})" if base else label)
    return "; ".join(shown) if shown else "none"


def render(repo_url: str = "") -> str:
    """The rules page's Markdown."""
    base = f"{repo_url.rstrip('/')}/blob/main/" if repo_url else ""
    cited = rules.citations()
    out = [INTRO]
    out.append("| family | rules |\n| --- | --- |")
    for family in rules.FAMILIES:
        ids = ", ".join(f"[{r.id}](#{r.id.lower()})" for r in rules.rules_of(family))
        out.append(f"| {family.prefix}: {family.title} | {ids} |")
    for family in rules.FAMILIES:
        out.append(f"\n## {family.prefix}: {family.title}\n")
        for rule in rules.rules_of(family):
            places = cited.get(rule.id, rules.Citations())
            out.append(f"### {rule.id} {{#{rule.id.lower()}}}\n")
            out.append(f"{rule.statement}\n")
            out.append(f"- Code: {_places(places.code, base)}")
            out.append(f"- Tests: {_places(places.tests, base)}\n")
    return "\n".join(out) + "\n"


def on_files(files: Files, config: Any) -> Files:
    """Adds the generated rules page to the site's files."""
    files.append(File.generated(config, PAGE, content=render(config.get("repo_url") or "")))
    return files
