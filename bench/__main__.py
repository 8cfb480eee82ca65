"""`python -m bench`: how long members wait for each command, beside trivial floors measured in
the same run, and the directory's search service on its own.

Per command, at 1 and at 50 interactions in flight: "ack" is interaction sent → the bot's
callback received, "seen" is until the member sees the answer (after a defer, the follow-up).
"× base" divides the ack median by that of `/bench-baseline` (answers at once); "seen ×
deferred" divides the seen median by that of `/bench-deferred` (defers, then follows up), the
floor for every command that defers. Every reply is checked (a search must find the expected
people, with the expected count) and one wrong reply fails the bench.

The bot runs in its own process, pointed at the sandbox, which runs here with the simulated
members; the 10,000 profiles belong to members of the sandbox server. With `--against REV` a
second bot runs the code of REV (exported to a temporary directory) against its own sandbox, and
the blocks of both interleave, so that both tables come from the same minutes of the machine.
Targets are printed beside the figures, never asserted: the machine is noisy.

For development, `--only SUBSTRING` keeps the feature cases whose name holds SUBSTRING (such
as `--only ask` or `--only "practice find"`); the two floors always run. With `--quick`:

    .venv/bin/python -m bench --quick --only ask
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.registry import BASELINE, DEFERRED, Case, WrongReply, feature_cases
from bench.side import bench_data as data
from sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
SIDE = ROOT / "bench" / "side" / "run.py"
RESULTS = ROOT / "bench" / "results"
INVOKERS = 60
# How long a member waits for an answer before the bench gives up on it (the sandbox's own
# default is 10 s): a slow command is measured, and only one that never answers fails the run.
REPLY_TIMEOUT = 60.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Samples:
    """Per invocation, in milliseconds: → callback received, and → the member sees the answer."""

    acked: list[float] = field(default_factory=list)
    seen: list[float] = field(default_factory=list)


@dataclass
class Side:
    """One tree under test: its code, its interpreter, its sandbox and its bot."""

    label: str
    tree: Path
    python: str
    work: Path
    sb: Sandbox = field(default_factory=lambda: Sandbox(default_timeout=REPLY_TIMEOUT))
    guild: Any = None
    invokers: list[Any] = field(default_factory=list)
    process: asyncio.subprocess.Process | None = None
    peak_rss_kib: int | None = None
    ready_s: float | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        return {**env, "BENCH_TREE": str(self.tree), "PYTHONDONTWRITEBYTECODE": "1"}

    async def side(self, *args: str, **kwargs: Any) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            self.python, str(SIDE), *args, cwd=self.tree, **kwargs
        )

    async def start(self, profiles: int, others: int = 0) -> None:
        """The sandbox and the bot, its database seeded with `profiles` profiles of members in
        the bench network and `others` more in other networks (not on the sandbox)."""
        sb = self.sb
        await sb.start()
        owner = sb.create_user("bench-admin", global_name="Bench Admin", locale="sv-SE")
        self.guild = guild = sb.create_guild("Bench network", preferred_locale="sv-SE", owner=owner)
        self.invokers = [owner]
        for n in range(INVOKERS):
            user = sb.create_user(f"member{n}", global_name=f"Member {n}", locale="sv-SE")
            await sb.add_member(guild, user)
            self.invokers.append(user)
        # The people of the directory are members of the server, as they are in a real network:
        # at start the bot compares its records with the server's members.
        holders = []
        for person in data.people(profiles):
            user = sb.create_user(f"person{person.index}", global_name=person.name)
            sb.world.add_member(guild, user)
            holders.append(user.id)
        users = self.work / "holders.json"
        users.write_text(json.dumps(holders))
        db = self.work / "krokarm.db"
        seeding = await self.side(
            "seed",
            "--db",
            str(db),
            "--guild",
            str(guild.id),
            "--name",
            guild.name,
            "--users",
            str(users),
            "--others",
            str(data.OTHER_NETWORKS if others else 0),
            str(others),
            env=self.env(),
        )
        if await seeding.wait():
            raise RuntimeError(f"{self.label}: seeding failed")
        env = {
            **self.env(),
            "DISCORD_TOKEN": sb.token,
            "DISCORD_API_BASE": sb.api_base,
            "DISCORD_GATEWAY_URL": sb.gateway_url,
            "DATABASE_PATH": str(db),
            "DEV_GUILD_ID": str(guild.id),
            "LOG_LEVEL": "WARNING",
        }
        launched = time.monotonic()
        self.process = await self.side("bot", env=env)
        await sb.wait_until_ready(timeout=60)
        deadline = time.monotonic() + 60
        while not any(c["name"] == DEFERRED.name[1:] for c in sb.synced_commands(guild)):
            if time.monotonic() > deadline or self.process.returncode is not None:
                raise TimeoutError(f"{self.label}: the bot did not sync its commands")
            await asyncio.sleep(0.05)
        # From the process's start to its commands synced: ready for members.
        self.ready_s = time.monotonic() - launched

    def read_peak_rss(self) -> None:
        if self.process is None:
            return
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peak_rss_kib = int(line.split()[1])

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.read_peak_rss()
            self.process.terminate()
            await self.process.wait()
        await self.sb.stop()


async def measure(
    sides: list[Side], case: Case, total: int, in_flight: int, into: dict[str, Samples]
) -> None:
    """`total` invocations on each side with `in_flight` at a time; every reply is checked.

    At 1 in flight the sides take turns invocation by invocation (who goes first alternates),
    so that both trees' figures for a command come from the same seconds of the machine; with
    more in flight each side has its own block, so that each bot alone carries that load."""

    async def once(side: Side, user_index: int) -> None:
        user = side.invokers[user_index % len(side.invokers)]
        started = time.perf_counter()
        try:
            reply = await case.invoke(side.sb, side.guild, user)
        except TimeoutError as exc:
            raise WrongReply(f"{side.label}: {case.name}: {exc}") from None
        seen = time.perf_counter() - started
        wrong = case.check(reply)
        if wrong is not None:
            raise WrongReply(f"{side.label}: {case.name}: {wrong}")
        acked = reply.acked_after if reply.acked_after is not None else seen
        into[side.label].acked.append(1000 * acked)
        into[side.label].seen.append(1000 * seen)

    if in_flight == 1:
        for i in range(total):
            for side in sides[i % len(sides) :] + sides[: i % len(sides)]:
                await once(side, i)
        return
    for side in sides:
        queue = iter(range(total))

        async def worker(w: int, side: Side = side, queue: Any = queue) -> None:
            for i in queue:
                await once(side, w + i)

        await asyncio.gather(*(worker(w) for w in range(in_flight)))


async def run_load(
    sides: list[Side], cases: list[Case], total: int, in_flight: int
) -> dict[tuple[str, str], Samples]:
    """Every case on every side `total` times, in interleaved blocks whose order rotates, so
    that drift in the machine's load falls on all alike rather than on whichever ran last."""
    block = max(20, 2 * in_flight)
    samples = {(s.label, c.name): Samples() for c in cases for s in sides}
    order = list(cases)
    done = 0
    while done < total:
        n = min(block, total - done)
        for case in order:
            into = {s.label: samples[s.label, case.name] for s in sides}
            await measure(sides, case, n, in_flight, into)
        done += n
        order = order[1:] + order[:1]
    return samples


def summarise(
    samples: dict[tuple[str, str], Samples], sides: list[Side], in_flight: int, into: dict
) -> None:
    for side in sides:
        base = statistics.median(samples[side.label, BASELINE.name].acked)
        floor = statistics.median(samples[side.label, DEFERRED.name].seen)
        for (label, name), got in samples.items():
            if label != side.label:
                continue
            ack, seen = statistics.median(got.acked), statistics.median(got.seen)
            into.setdefault(label, {}).setdefault(name, {})[f"in_flight_{in_flight}"] = {
                "n": len(got.acked),
                "ack_median_ms": round(ack, 2),
                "ack_p99_ms": round(percentile(got.acked, 0.99), 2),
                "ack_x_baseline": round(ack / base, 2),
                "seen_median_ms": round(seen, 2),
                "seen_p99_ms": round(percentile(got.seen, 0.99), 2),
                "seen_x_deferred": round(seen / floor, 2),
            }


class SearchSide:
    """A tree's search service in its own process, answering one round of queries at a time."""

    def __init__(self, side: Side) -> None:
        self.side = side
        self.process: asyncio.subprocess.Process | None = None
        self.samples: dict[str, dict[str, list[float]]] = {}

    async def _line(self) -> str:
        assert self.process is not None and self.process.stdout is not None
        line = (await self.process.stdout.readline()).decode().strip()
        if not line:
            code = await self.process.wait()
            raise WrongReply(
                f"{self.side.label}: the directory search service stopped ({code}); see above"
            )
        return line

    async def send(self, command: str) -> str:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())
        await self.process.stdin.drain()
        return await self._line()

    async def start(self) -> None:
        self.process = await self.side.side(
            "search",
            "--db",
            str(self.side.work / "search.db"),
            env=self.side.env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        await self._line()

    async def round(self, phase: str) -> None:
        for label, ms in json.loads(await self.send("round")).items():
            self.samples.setdefault(phase, {}).setdefault(label, []).append(ms)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            assert self.process.stdin is not None
            with contextlib.suppress(ConnectionError):
                self.process.stdin.write(b"quit\n")
                await self.process.stdin.drain()
            await self.process.wait()


async def service_search(sides: list[Side], args: argparse.Namespace) -> dict[str, Any]:
    """The query set over 10,000 profiles in one network, then again with profiles in other
    networks beside it; the trees' rounds alternate."""
    searchers = [SearchSide(side) for side in sides]
    try:
        await asyncio.gather(*(s.start() for s in searchers))
        phases = [
            ("one network", 0, 0),
            ("+ other networks", args.other_networks, args.other_profiles),
        ]
        for phase, networks, profiles in phases:
            if networks:
                started = time.monotonic()
                for s in searchers:
                    await s.send(f"grow {networks} {profiles}")
                print(
                    f"bench: seeded {profiles} profiles in {networks} other networks"
                    f" in {time.monotonic() - started:.0f} s",
                    file=sys.stderr,
                )
            for _ in range(args.search_repeat):
                for s in searchers:
                    await s.round(phase)
        out: dict[str, Any] = {}
        for s in searchers:
            for (phase, networks, profiles), per_query in zip(
                phases, s.samples.values(), strict=True
            ):
                everything = [v for vs in per_query.values() for v in vs]
                medians = {k: statistics.median(v) for k, v in per_query.items()}
                out.setdefault(s.side.label, {})[phase] = {
                    "networks": 1 + networks,
                    "profiles": data.PROFILES + profiles,
                    "n": len(everything),
                    "median_ms": round(statistics.median(everything), 2),
                    "worst_query_median_ms": round(max(medians.values()), 2),
                    "worst_query": max(medians, key=lambda k: medians[k]),
                    "max_ms": round(max(everything), 2),
                    "per_query_median_ms": {k: round(v, 2) for k, v in medians.items()},
                }
        return out
    finally:
        for s in searchers:
            await s.stop()


def export(rev: str, into: Path) -> tuple[Path, str]:
    """REV's files (not a checkout: nothing in the repository changes), and an interpreter with
    its dependencies: this one when they match, else a venv made for it."""
    tree = into / "tree"
    tree.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev], capture_output=True
    )
    if archive.returncode:
        raise SystemExit(f"bench: cannot export {rev!r}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)

    def deps(root: Path) -> Any:
        project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
        return project.get("dependencies"), project.get("optional-dependencies")

    if deps(tree) == deps(ROOT):
        return tree, sys.executable
    print(f"bench: {rev} has other dependencies; making a venv for it", file=sys.stderr)
    venv = into / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(tree)], check=True
    )
    return tree, str(venv / "bin" / "python")


def short(rev: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True
    )
    return done.stdout.strip() or rev


def on_every_side(case: Case, sides: list[Side]) -> bool:
    """Whether every tree has the case's command (an older commit compared side by side may
    not have a feature yet; its cases are then left out of the comparison)."""
    if not case.name.startswith("/"):
        return True
    top = case.name[1:].split()[0]
    return all(any(c["name"] == top for c in side.sb.synced_commands(side.guild)) for side in sides)


def chosen(cases: list[Case], only: str | None) -> list[Case]:
    """The feature cases whose name holds `only` (all when it is None)."""
    return [c for c in cases if only is None or only in c.name]


async def main(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="krokarm-bench-"))
    sides: list[Side] = []
    try:
        if args.against:
            tree, python = export(args.against, tmp / "against")
            (tmp / "before").mkdir()
            sides.append(Side(short(args.against), tree, python, tmp / "before"))
        (tmp / "this").mkdir()
        sides.append(Side("this tree", ROOT, sys.executable, tmp / "this"))
        search = await service_search(sides, args)
        started = time.monotonic()
        for side in sides:
            await side.start(data.PROFILES, args.bot_others)
        print(f"bench: bots up in {time.monotonic() - started:.0f} s", file=sys.stderr)
        features = chosen(feature_cases(), args.only)
        cases = [c for c in (BASELINE, DEFERRED, *features) if on_every_side(c, sides)]
        left_out = [c.name for c in features if not on_every_side(c, sides)]
        if left_out:
            print(f"bench: not on every tree, left out: {', '.join(left_out)}", file=sys.stderr)
        await run_load(sides, cases, 10, 1)  # warm-up: caches, connections
        results: dict[str, Any] = {}
        for in_flight, total in ((1, args.sequential), (50, args.concurrent)):
            summarise(await run_load(sides, cases, total, in_flight), sides, in_flight, results)
        for side in sides:
            side.read_peak_rss()
        errors = [f"{s.label}: {e}" for s in sides for e in s.sb.errors]
        targets = {c.name: [t.__dict__ for t in c.targets] for c in cases if c.targets}
        return {
            "sides": [s.label for s in sides],
            "results": results,
            "search_service": search,
            "peak_rss_mib": {s.label: round((s.peak_rss_kib or 0) / 1024, 1) for s in sides},
            "ready_s": {s.label: round(s.ready_s or 0, 2) for s in sides},
            "bot_profiles": data.PROFILES + args.bot_others,
            "targets": targets,
            "sandbox_errors": errors,
        }
    finally:
        for side in sides:
            await side.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def report(data_: dict[str, Any]) -> None:
    from bench.report import print_report

    print_report(data_)


def cli() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--against", metavar="REV", help="also run REV's bot, side by side")
    parser.add_argument("--quick", action="store_true", help="few invocations, for development")
    parser.add_argument("--sequential", type=int, help="invocations at 1 in flight (200)")
    parser.add_argument("--concurrent", type=int, help="invocations at 50 in flight (500)")
    parser.add_argument(
        "--bot-others",
        type=int,
        default=0,
        metavar="P",
        help=f"also seed the bot's database with P profiles in {data.OTHER_NETWORKS} networks more",
    )
    parser.add_argument(
        "--only",
        metavar="SUBSTRING",
        help="only the feature cases whose name holds SUBSTRING (the floors always run)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args()
    if args.only is not None and not chosen(feature_cases(), args.only):
        names = "\n  ".join(c.name for c in feature_cases())
        parser.error(f"no case's name holds {args.only!r}; the cases:\n  {names}")
    args.sequential = args.sequential or (20 if args.quick else 200)
    args.concurrent = args.concurrent or (100 if args.quick else 500)
    args.search_repeat = 5 if args.quick else 30
    args.other_networks = 9 if args.quick else data.OTHER_NETWORKS
    args.other_profiles = 10_000 if args.quick else data.OTHER_PROFILES
    started = time.monotonic()
    try:
        result = asyncio.run(main(args))
    except WrongReply as exc:
        print(f"\nBENCH FAILED — a reply is wrong, so its timing means nothing:\n  {exc}")
        return 1
    result["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    result["arguments"] = sys.argv[1:]
    result["wall_s"] = round(time.monotonic() - started)
    report(result)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2))
    print(f"\nwritten to {args.output} ({result['wall_s']} s)")
    return 1 if result["sandbox_errors"] else 0


if __name__ == "__main__":
    sys.exit(cli())
