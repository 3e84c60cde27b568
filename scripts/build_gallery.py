"""Build gallery/: every figure of the paper and its repository, with README and web page.

    python scripts/build_gallery.py                 # bring the gallery up to date
    python scripts/build_gallery.py --only padding_strides dilation
    python scripts/build_gallery.py --force --jobs 2
    python scripts/build_gallery.py --check         # exit 1 if the gallery is stale

Figures whose inputs did not change (their definition, conv_anim's sources, the drawing
libraries' versions) are not redrawn.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

from conv_anim import gallery  # noqa: E402

GALLERY = Path(__file__).resolve().parents[1] / "gallery"


def positive_int(text: str) -> int:
    """argparse type: an int >= 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: expected an int >= 1")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=GALLERY, help="gallery folder (default: %(default)s)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="build only these figures")
    parser.add_argument("--jobs", type=positive_int, default=os.cpu_count() or 1,
                        help="processes to draw in (default: all %(default)s cores)")
    parser.add_argument("--force", action="store_true", help="redraw every figure")
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temporary folder and compare; exit 1 naming each "
                             "file that differs or is missing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    try:
        if args.check:
            problems = gallery.check(args.out, jobs=args.jobs)
            for problem in problems:
                print(f"{args.out.name}/{problem}", file=sys.stderr)
            if problems:
                print(f"the gallery is out of date ({len(problems)} files): run "
                      f"python scripts/build_gallery.py", file=sys.stderr)
                return 1
            print(f"gallery up to date ({time.perf_counter() - start:.2f} s)")
            return 0
        result = gallery.build(args.out, only=args.only, jobs=args.jobs, force=args.force,
                               progress=gallery.console_progress())
    except ValueError as error:
        print(f"build_gallery: error: {error}", file=sys.stderr)
        return 2
    print(f"drew {len(result.drawn)} figures, {len(result.skipped)} up to date, "
          f"pages written: {', '.join(result.pages) or 'none'} "
          f"({time.perf_counter() - start:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
