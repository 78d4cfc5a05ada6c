"""Run every benchmark in its own process (fresh servers each) and print their summaries."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_relay.py", "bench_projection.py", "bench_reaction.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, help="events per run (each benchmark's default)")
    parser.add_argument("--repeat", type=int, help="runs per benchmark; the median is reported")
    args = parser.parse_args()
    passed: list[str] = []
    if args.events is not None:
        passed += ["--events", str(args.events)]
    if args.repeat is not None:
        passed += ["--repeat", str(args.repeat)]
    failed = 0
    for script in BENCHMARKS:
        result = subprocess.run([sys.executable, str(HERE / script), *passed], check=False)
        if result.returncode:
            print(f"{script} failed with exit code {result.returncode}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
