"""``make bench``: generate the feed if missing (under ``.data/bench/``), then run the import bench.

    python bench/run.py [--records N] [--feed PATH] [--seed S] [import_bench options...]

Every option but ``--seed`` is passed through to ``import_bench.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench
from generate_feed import generate


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--records", type=int, default=268_000)
    parser.add_argument("--feed")
    parser.add_argument("--seed", type=int, default=2025)
    known, rest = parser.parse_known_args(argv)
    if "-h" in rest or "--help" in rest:
        import_bench.parser().print_help()
        return 0
    if known.feed:
        feed = Path(known.feed)
    elif known.seed != 2025:
        feed = import_bench.BENCH_DIR / f"uhri-{known.records}-seed{known.seed}.json"
    else:
        feed = import_bench.default_feed(known.records)
    if not feed.exists():
        print(f"generating {known.records:,} records into {feed} ...", file=sys.stderr, flush=True)
        generate(known.records, feed, known.seed)
    return import_bench.main(["--records", str(known.records), "--feed", str(feed), *rest])


if __name__ == "__main__":
    sys.exit(main())
