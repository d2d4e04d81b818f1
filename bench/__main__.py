"""Run one benchmark (``python -m bench tick_complaints``) or all of them."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "officeline.settings")
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))
    wanted = argv[:1] or names
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(
            f"unknown benchmark {unknown[0]!r}: expected one of {', '.join(names)}", file=sys.stderr
        )
        return 2
    for name in wanted:
        print(f"== bench {name}")
        module = importlib.import_module(f"bench.{name}")
        module.main(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
