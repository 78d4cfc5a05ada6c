"""Run every benchmark in its own process (fresh servers each) and print their summaries."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("bench_relay.py", "bench_projection.py", "bench_reaction.py")
# These drive `pingan up` over HTTP and take their own options, not --events/--repeat.
END_TO_END = ("bench_command.py", "bench_e2e.py", "bench_memory.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, help="events per run (each benchmark's default)")
    parser.add_argument("--repeat", type=int, help="runs per benchmark; the median is reported")
    parser.add_argument(
        "--up-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra option for `pingan up` in the end-to-end benchmarks (repeatable)",
    )
    parser.add_argument(
        "--commands", type=int, default=20_000, help="commands for bench_memory.py (20000)"
    )
    args = parser.parse_args()
    passed: list[str] = []
    if args.events is not None:
        passed += ["--events", str(args.events)]
    if args.repeat is not None:
        passed += ["--repeat", str(args.repeat)]
    up = [f"--up-arg={arg}" for arg in args.up_arg]
    runs = [(script, passed) for script in BENCHMARKS]
    repeat = ["--repeat", str(args.repeat)] if args.repeat is not None else []
    runs.append(("bench_read_your_writes.py", repeat))
    runs += [(script, up) for script in END_TO_END]
    runs[-1] = (runs[-1][0], [*up, "--commands", str(args.commands)])
    failed = 0
    for script, options in runs:
        result = subprocess.run([sys.executable, str(HERE / script), *options], check=False)
        if result.returncode:
            print(f"{script} failed with exit code {result.returncode}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
