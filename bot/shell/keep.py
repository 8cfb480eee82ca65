"""`try --database FILE` keeps the demo: the sandbox's server and people get the same ids at
every run (kept beside the file), so the bot finds its network again instead of a new one."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.shell import demo

if TYPE_CHECKING:
    from sandbox import Sandbox


def ids_path(database: Path) -> Path:
    """Where the sandbox ids of a demo database are kept."""
    return database.with_name(database.name + ".sandbox.json")


def saved_ids(database: Path | None) -> dict[str, Any] | None:
    """The ids of an earlier run on this database, if both are there."""
    if database is None or not database.exists():
        return None
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(ids_path(database).read_text(encoding="utf-8"))
        if isinstance(data, dict) and "guild" in data and "users" in data:
            return data
    return None


def save_ids(database: Path, world: demo.DemoWorld) -> None:
    """Remember the server's and every person's id (people who joined in the shell too)."""
    people = {
        handle: {
            "id": user.id,
            "name": user.global_name or handle,
            "locale": world.people[handle].locale if handle in world.people else user.locale,
            "member": world.guild.member(user.id) is not None,
        }
        for handle, user in world.users.items()
    }
    data = {"guild": world.guild.id, "users": people}
    ids_path(database).write_text(json.dumps(data, indent=1), encoding="utf-8")


async def rebuild_world(sandbox: Sandbox, ids: dict[str, Any]) -> demo.DemoWorld:
    """The demo server and its people again, with the ids of the earlier run."""
    admin = next(p for p in demo.PEOPLE if p.admin)
    users: dict[str, Any] = {}
    people: dict[str, demo.Person] = {p.handle: p for p in demo.PEOPLE}
    for handle, saved in ids["users"].items():
        person = people.get(handle) or demo.Person(handle, saved["name"], saved["locale"])
        people[handle] = person
        users[handle] = sandbox.create_user(
            handle, global_name=person.name, locale=person.locale, id=int(saved["id"])
        )
    guild = sandbox.create_guild(
        demo.GUILD_NAME,
        preferred_locale="sv-SE",
        owner=users[admin.handle],
        id=int(ids["guild"]),
    )
    for handle, saved in ids["users"].items():
        if saved.get("member", True):
            await sandbox.add_member(guild, users[handle])
    return demo.DemoWorld(guild=guild, users=users, people=people)


async def rebuild_server(sandbox: Sandbox, world: demo.DemoWorld) -> None:
    """The channels and roles of the network, made again by `/network setup` (Maria confirms)."""
    maria = world.users["maria"]
    plan = await sandbox.invoke("network setup", {}, user=maria, guild=world.guild, locale="sv-SE")
    confirm = next((b for b in plan.buttons if b.label == "Bekräfta" and not b.disabled), None)
    if confirm is not None:
        applying = await sandbox.click(plan, str(confirm.custom_id), user=maria, locale="sv-SE")
        await sandbox.wait_for_followup(applying, timeout=15)
