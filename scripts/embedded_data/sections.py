"""The sections of data/PROVENANCE.md that the extract-* scripts maintain,
each between `<!-- BEGIN name ... -->` and `<!-- END name ... -->` marker
comments, one blank line apart; scripts/refresh-embedded-data keeps them."""

from __future__ import annotations

import re

# Any marked section with the newline after its END marker.
MARKED = re.compile(r"<!-- BEGIN (.+?) -->.*?<!-- END .+? -->\n?", re.S)


def replace_section(text: str, begin: str, end: str, section: str) -> str:
    """`text` with the section from `begin` to `end` (and the newline after
    it) replaced by `section`, or with `section` appended after one blank
    line when `text` has none. Nothing else in `text` changes."""
    marked = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.S)
    if marked.search(text):
        return marked.sub(lambda _m: section, text, count=1)
    return text.rstrip("\n") + "\n\n" + section
