"""Runs a stand-in Moodle until interrupted.

    python -m moodle_client.standin --port 8081 --seed demo \\
        --latency core_course_get_contents=300 --fail local_passage_backup_course=0.2:http503

It prints its URL (the Moodle wwwroot) on one line once it accepts requests.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from moodle_client.standin.faults import FAULT_KINDS
from moodle_client.standin.server import StandinServer


def _latency(text: str) -> tuple[str, int]:
    function, _, ms = text.partition("=")
    if not function or not ms.isdigit():
        raise argparse.ArgumentTypeError(f"expected FUNCTION=MS, got {text!r}")
    return function, int(ms)


def _failure(text: str) -> tuple[str, tuple[float, str]]:
    function, _, spec = text.partition("=")
    rate_text, _, kind = spec.partition(":")
    kind = kind or "http503"
    try:
        rate = float(rate_text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected FUNCTION=RATE[:KIND], got {text!r}") from None
    if not function or not 0.0 <= rate <= 1.0 or kind not in FAULT_KINDS:
        raise argparse.ArgumentTypeError(
            f"expected FUNCTION=RATE[:KIND] with RATE in 0..1 and KIND one of "
            f"{', '.join(FAULT_KINDS)}, got {text!r}"
        )
    return function, (rate, kind)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m moodle_client.standin", description="A stand-in Moodle 5.0 web service."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--seed", default="small", help="a seed name or a seed file")
    parser.add_argument(
        "--latency", type=_latency, action="append", default=[], metavar="FUNCTION=MS"
    )
    parser.add_argument(
        "--fail", type=_failure, action="append", default=[], metavar="FUNCTION=RATE[:KIND]"
    )
    parser.add_argument(
        "--state",
        default=None,
        metavar="FILE",
        help="keep the site in this file (loaded at start when it exists)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="answer as a Moodle with debugging on (debuginfo in errors)",
    )
    args = parser.parse_args(argv)

    server = StandinServer.start(
        seed=args.seed,
        host=args.host,
        port=args.port,
        latency=dict(args.latency),
        failures=dict(args.fail),
        state_file=args.state,
        debug=args.debug,
    )
    print(server.url, flush=True)
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    stopped.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
