#!/usr/bin/env python3
"""Checks that every relative link and image in the project's Markdown resolves to a file.

    check_links.py [FILE.md ...]   (default: README.md, docs/, notebooks/, presets/)
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def broken_links(path):
    problems = []
    for target in LINK.findall(path.read_text()):
        if re.match(r"^[a-z]+://", target) or target.startswith("#") or target.startswith("mailto:"):
            continue
        file_part = target.split("#")[0]
        if not (path.parent / file_part).exists():
            problems.append(f"{path.relative_to(ROOT)}: {target} does not exist")
    return problems


def main():
    paths = [Path(p).resolve() for p in sys.argv[1:]] or [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "notebooks").glob("*.md")),
        *sorted((ROOT / "presets").glob("*.md")),
    ]
    problems = [p for path in paths for p in broken_links(path)]
    for p in problems:
        print(p)
    print(f"{len(paths)} files checked, {len(problems)} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
