"""Property: for any interleaving of two people opening and submitting every modal (the profile,
its second step, the privacy notice, the onboarding search), what is stored is what each typed.

One bot serves every example (the world is built once); each example types new values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services import members, network, organisations, profiles
from sandbox import Reply
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import run_setup
from tests.e2e.test_owned_forms import second_network, step

MANAGE_GUILD = discord.Permissions(manage_guild=True).value
STEPS = (
    "open_profile",
    "submit_profile",
    "open_more",
    "submit_more",
    "open_privacy",
    "submit_privacy",
    "open_search",
    "submit_search",
)
PLACES = ["Trollhättan", "Lysekil", "Vänersborg", "Uddevalla", "Mölndal", "Alingsås", "Borås"]

names = st.from_regex(r"[A-ZÅÄÖ][a-zåäö]{1,10} [A-ZÅÄÖ][a-zåäö]{1,10}", fullmatch=True)
tags = st.from_regex(r"[a-zåäö]{3,12}", fullmatch=True)


@dataclass
class Typed:
    name: str
    tag: str
    notice: str
    place: str


@dataclass
class Actor:
    user: Any
    guild: Any
    typed: Typed
    replies: dict[str, Reply] = field(default_factory=dict)


async def prepare(world: World) -> Any:
    """Once for all examples: a second network, both set up with Västra Götaland's
    municipalities, Anna and Erik admins in both."""
    if getattr(world, "_second", None) is not None:
        return world._second  # type: ignore[attr-defined]
    sb = world.sandbox
    g2 = await second_network(world)
    for guild in (world.guild, g2):
        await run_setup(sb, guild, world.admin)
        await sb.invoke(
            "network municipalities add", {"preset": "county-14"}, user=world.admin, guild=guild
        )
        role = sb.create_role(guild, "Samordnare", MANAGE_GUILD)
        sb.set_member_roles(guild, world.anna, [role])
        sb.set_member_roles(guild, world.erik, [role])
    world._second = g2  # type: ignore[attr-defined]
    return g2


def standing_message(world: World, guild: Any) -> Any:
    sb = world.sandbox
    channel = sb.find_channel(guild, "välkommen")
    [found] = [
        m
        for m in sb.channel_messages(channel)
        if any(c.get("custom_id") == "krokarm:onb:pick:any" for c in sb._walk(m.components))
    ]
    return found


async def act(world: World, actor: Actor, what: str) -> None:
    sb, r, typed = world.sandbox, actor.replies, actor.typed
    user, guild = actor.user, actor.guild
    if what == "open_profile":
        r["profile"] = await sb.invoke("profile edit", {}, user=user, guild=guild)
    elif what == "submit_profile":
        r["saved"] = await sb.submit_modal(
            r["profile"], {"profile:display_name": typed.name}, user=user
        )
        assert typed.name in r["saved"].text
    elif what == "open_more":
        r["more"] = await sb.click(r["saved"], step(r["saved"], "more"), user=user)
    elif what == "submit_more":
        answer = await sb.submit_modal(r["more"], {"profile:expertise": typed.tag}, user=user)
        assert typed.tag in answer.text
    elif what == "open_privacy":
        shown = await sb.invoke("network settings", {}, user=user, guild=guild)
        r["privacy"] = await sb.click(shown, "krokarm:net:privacy", user=user)
    elif what == "submit_privacy":
        modal = r["privacy"].modal
        assert modal is not None
        answer = await sb.submit_modal(
            r["privacy"], {modal.fields[0].custom_id: typed.notice}, user=user
        )
        assert answer.ephemeral and answer.embeds
    elif what == "open_search":
        r["search"] = await sb.click(
            standing_message(world, guild), "krokarm:onb:pick:any", user=user
        )
    elif what == "submit_search":
        modal = r["search"].modal
        assert modal is not None
        found = await sb.submit_modal(
            r["search"], {modal.fields[0].custom_id: typed.place}, user=user
        )
        assert [o.label for o in found.selects[0].options] == [typed.place]
        await sb.select(found, found.selects[0].custom_id, [typed.place], user=user)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    order=st.permutations([0] * len(STEPS) + [1] * len(STEPS)),
    same_network=st.booleans(),
    typed=st.lists(
        st.builds(
            Typed, names, tags, names.map(lambda n: f"Text av {n}."), st.sampled_from(PLACES)
        ),
        min_size=2,
        max_size=2,
    ),
)
async def test_any_interleaving_stores_what_each_typed(
    world: World, order: list[int], same_network: bool, typed: list[Typed]
) -> None:
    g2 = await prepare(world)
    actors = [
        Actor(world.anna, world.guild, typed[0]),
        Actor(world.erik, world.guild if same_network else g2, typed[1]),
    ]
    done = [0, 0]
    last_notice: dict[int, str] = {}
    for who in order:
        actor = actors[who]
        what = STEPS[done[who]]
        done[who] += 1
        await act(world, actor, what)
        if what == "submit_privacy":
            last_notice[actor.guild.id] = actor.typed.notice
    db = world.bot.db
    for actor in actors:
        profile = await profiles.get(db, actor.guild.id, actor.user.id)
        assert profile is not None
        assert profile.display_name == actor.typed.name
        assert list(profile.expertise) == [actor.typed.tag]
        member = await members.get_member(db, actor.guild.id, actor.user.id)
        assert member is not None and member.organisation_id is not None
        org = await organisations.get(db, actor.guild.id, member.organisation_id)
        assert org is not None and org.name == actor.typed.place
        stored = (await network.get(db, actor.guild.id)).privacy_notice
        assert stored == last_notice[actor.guild.id]
