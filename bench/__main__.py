"""`python -m bench`: per command, median and p99 latency (interaction sent → callback received)
at 1 and at 50 interactions in flight, beside a trivial baseline measured in the same run.

The bot runs in its own process, exactly as in production but pointed at the sandbox; the
sandbox and the simulated members run here. Nothing is asserted: the figures are printed and
written to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.registry import BASELINE, CASES, SEEDS, Case, load_feature_cases
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Samples:
    """Per invocation: interaction sent → callback received, and → the user sees the answer."""

    acked: list[float] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)


async def measure(
    sb: Sandbox, guild: Any, users: list[Any], case: Case, total: int, in_flight: int, into: Samples
) -> None:
    """`total` invocations with `in_flight` at a time, recorded in milliseconds."""
    queue = iter(range(total))

    async def worker(w: int) -> None:
        for i in queue:
            user = users[(w + i) % len(users)]
            started = time.perf_counter()
            reply = await case.invoke(sb, guild, user)
            settled = time.perf_counter() - started
            acked = reply.acked_after if reply.acked_after is not None else settled
            into.acked.append(1000 * acked)
            into.settled.append(1000 * settled)

    await asyncio.gather(*(worker(w) for w in range(in_flight)))


async def run_load(
    sb: Sandbox, guild: Any, users: list[Any], cases: list[Case], total: int, in_flight: int
) -> dict[str, Samples]:
    """Every case `total` times, in interleaved blocks whose order rotates, so that drift in the
    machine's load over the run falls on all cases alike rather than on whichever ran last."""
    block = max(20, 2 * in_flight)
    samples = {case.name: Samples() for case in cases}
    order = list(cases)
    done = 0
    while done < total:
        n = min(block, total - done)
        for case in order:
            await measure(sb, guild, users, case, n, in_flight, samples[case.name])
        done += n
        order = order[1:] + order[:1]
    return samples


async def start_bot(sb: Sandbox, guild: Any, database: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "DISCORD_TOKEN": sb.token,
        "DISCORD_API_BASE": sb.api_base,
        "DISCORD_GATEWAY_URL": sb.gateway_url,
        "DATABASE_PATH": str(database),
        "DEV_GUILD_ID": str(guild.id),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bot_process", env=env, cwd=ROOT
    )
    await sb.wait_until_ready(timeout=30)
    deadline = time.monotonic() + 30
    while not any(c["name"] == "bench-baseline" for c in sb.synced_commands(guild)):
        if time.monotonic() > deadline:
            raise TimeoutError("the bot did not sync its commands")
        await asyncio.sleep(0.05)
    return process


async def main(args: argparse.Namespace) -> dict[str, Any]:
    sb = Sandbox()
    await sb.start()
    tmp = Path(tempfile.mkdtemp(prefix="krokarm-bench-"))
    process: asyncio.subprocess.Process | None = None
    try:
        owner = sb.create_user("bench-admin", global_name="Bench Admin", locale="sv-SE")
        guild = sb.create_guild("Bench network", preferred_locale="sv-SE", owner=owner)
        users = [owner]
        for n in range(args.members):
            user = sb.create_user(f"member{n}", global_name=f"Member {n}", locale="sv-SE")
            await sb.add_member(guild, user)
            users.append(user)
        for seed in SEEDS:
            await seed(sb, guild, users, tmp / "krokarm.db")
        process = await start_bot(sb, guild, tmp / "krokarm.db")
        everything = [BASELINE, *CASES]
        await run_load(sb, guild, users, everything, 10, 1)  # warm-up: caches, connections
        results: dict[str, Any] = {}
        for in_flight, total in ((1, args.sequential), (50, args.concurrent)):
            samples = await run_load(sb, guild, users, everything, total, in_flight)
            base_median = statistics.median(samples[BASELINE.name].acked)
            for name, got in samples.items():
                median = statistics.median(got.acked)
                results.setdefault(name, {})[f"in_flight_{in_flight}"] = {
                    "n": len(got.acked),
                    "median_ms": round(median, 2),
                    "p99_ms": round(percentile(got.acked, 0.99), 2),
                    "ratio_to_baseline": round(median / base_median, 2),
                    "seen_median_ms": round(statistics.median(got.settled), 2),
                }
        errors = list(sb.errors)
        return {"results": results, "sandbox_errors": [str(e) for e in errors]}
    finally:
        if process is not None and process.returncode is None:
            process.terminate()
            await process.wait()
        await sb.stop()


def report(data: dict[str, Any]) -> None:
    header = (
        f"{'command':<34}{'in flight':>10}{'n':>6}{'median ms':>11}{'p99 ms':>9}{'× base':>8}"
        f"{'seen ms':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, by_load in data["results"].items():
        for load, row in by_load.items():
            print(
                f"{name:<34}{load.removeprefix('in_flight_'):>10}{row['n']:>6}"
                f"{row['median_ms']:>11.2f}{row['p99_ms']:>9.2f}{row['ratio_to_baseline']:>8.2f}"
                f"{row['seen_median_ms']:>9.2f}"
            )
    print(
        "\nmedian and p99: interaction sent → the bot's callback received; × base: median over the"
        "\nbaseline's median in the same run; seen: until the user sees the answer (after a defer,"
        "\nthe follow-up)."
    )
    if data["sandbox_errors"]:
        print(
            f"\nthe sandbox refused {len(data['sandbox_errors'])} calls:",
            *data["sandbox_errors"][:5],
        )


def cli() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sequential", type=int, default=200, help="invocations at 1 in flight")
    parser.add_argument("--concurrent", type=int, default=500, help="invocations at 50 in flight")
    parser.add_argument("--members", type=int, default=60, help="simulated members")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args()
    load_feature_cases()
    data = asyncio.run(main(args))
    data["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    report(data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=2))
    print(f"\nwritten to {args.output}")
    return 1 if data["sandbox_errors"] else 0


if __name__ == "__main__":
    sys.exit(cli())
