"""Copy blueprints/_shared/python.jinja into every blueprint that uses the shared macros.

The formatting macros of the backend blueprints have one source, blueprints/_shared/
python.jinja. copier only loads templates from inside a blueprint's own folder, so each
blueprint that imports them holds a copy, ``macros.jinja``, beside its copier.yml. This
script refreshes every such copy from the source (a blueprint opts in by having a
macros.jinja; give a new blueprint an empty one, then run the script).

    python scripts/sync_blueprint_macros.py           # rewrite the copies that differ
    python scripts/sync_blueprint_macros.py --check   # exit 1 if any copy differs

tests/generated/backend/test_shared_macros.py runs the same check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BLUEPRINTS = Path(__file__).resolve().parents[1] / "blueprints"
SOURCE = BLUEPRINTS / "_shared" / "python.jinja"
COPY_NAME = "macros.jinja"


def copies(blueprints: Path | None = None) -> list[Path]:
    """Every blueprint's macros.jinja, sorted: a blueprint is a folder with a copier.yml."""
    blueprints = blueprints or BLUEPRINTS
    return sorted(
        config.parent / COPY_NAME
        for config in blueprints.rglob("copier.yml")
        if (config.parent / COPY_NAME).is_file()
    )


def stale(blueprints: Path | None = None, source: Path | None = None) -> list[Path]:
    """The copies whose bytes differ from the source."""
    expected = (source or SOURCE).read_bytes()
    return [path for path in copies(blueprints) if path.read_bytes() != expected]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="only report the copies that differ; exit 1 if any"
    )
    args = parser.parse_args(argv)

    found = copies()
    if not found:
        print(f"no blueprint under {BLUEPRINTS} has a {COPY_NAME}", file=sys.stderr)
        return 1
    outdated = stale()
    root = BLUEPRINTS.parent
    source = SOURCE.relative_to(root)
    if args.check:
        for path in outdated:
            print(f"{path.relative_to(root)} differs from {source}")
        if outdated:
            print("run: python scripts/sync_blueprint_macros.py", file=sys.stderr)
        return 1 if outdated else 0
    expected = SOURCE.read_bytes()
    for path in outdated:
        path.write_bytes(expected)
        print(f"updated {path.relative_to(root)}")
    print(f"{len(found)} copies of {source}, {len(outdated)} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
