"""Writing generated files, or with --check only saying which differ."""

from __future__ import annotations

from pathlib import Path


def write_or_check(root: Path, outputs: dict[Path, bytes], check: bool) -> int:
    """With `check`, print each file whose committed bytes differ and return
    1 if any does; otherwise write the files that differ (making their
    folders) and return 0. Paths are printed relative to `root`."""
    stale = [p for p, b in outputs.items() if not p.exists() or p.read_bytes() != b]
    if check:
        for p in stale:
            print(f"differs: {p.relative_to(root)}")
        return 1 if stale else 0
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(outputs[p])
        print(f"wrote {p.relative_to(root)} ({len(outputs[p])} bytes)")
    return 0
