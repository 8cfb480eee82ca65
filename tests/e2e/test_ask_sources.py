"""`/ask` answered from each source, end to end through the sandbox, in Swedish and English.

A practice registered with `/practice add` answers with a link to its forum post; a meeting run
with `/meeting start`, `decision`, `note`, `action` and `end` answers with its decision, its
note and its action (with the owner), each linked to the minutes message the bot posted. Every
group under its heading as the member reads it, every hit with what matched. Another network
(Fyrbodal) has a similar decision, note and action, and a practice Halland has not: none of it
ever appears, not even as a count. (People, resources and answered questions:
`tests/e2e/test_ask.py`.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot.services import network
from sandbox import Reply, Sandbox
from tests.e2e.conftest import World
from tests.e2e.test_ask import ask, build_net, forum_posts, questions_forum
from tests.e2e.test_meeting_minutes import monthly
from tests.e2e.test_network_setup import run_setup

SV, EN = "sv-SE", "en-US"
# The group headings as the member reads them (bot/i18n/locales/{sv,en}/LC_MESSAGES/ask.po).
HEADINGS = {
    SV: {"practice": "🌱 **Goda exempel**", "decision": "⚖️ **Beslut**",
         "minutes": "📝 **Protokoll**", "action": "📌 **Åtgärder**"},
    EN: {"practice": "🌱 **Good practice**", "decision": "⚖️ **Decisions**",
         "minutes": "📝 **Minutes**", "action": "📌 **Actions**"},
}  # fmt: skip
MATCHED = {SV: "matchade: ", EN: "matched: "}
LINK = re.compile(r"\]\(https://discord\.com/channels/(\d+)/(\d+)(?:/(\d+))?\)")

# What Halland's meeting decides, notes and gives as an action; Fyrbodal's are alike.
DECISION = "Vi startar samhällsguider i Halmstad till våren"
NOTE = "Simskola för kvinnor i Varberg har lediga platser i vår"
ACTION = "Boka tolk till föräldramötet"
THEIR_DECISION = "Fyrbodal startar samhällsguider i Lysekil"
THEIR_NOTE = "Simskola för kvinnor i Uddevalla är full"
THEIR_ACTION = "Boka tolk till Fyrbodals föräldramöte"
PRACTICE = {
    "practice:title": "Läxhjälp på biblioteket",
    "practice:summary": "Volontärer ger läxhjälp till nyanlända elever två kvällar i veckan.",
    "practice:municipalities": "Halmstad",
}
THEIR_PRACTICE = {
    "practice:title": "Körkortsstöd i Fyrbodal",
    "practice:summary": "Teorilektioner om körkort på lätt svenska för nyanlända.",
    "practice:municipalities": "Uddevalla",
}


@dataclass
class Hit:
    """One line of an answer's group: the line itself, its reason, and where its link goes."""

    line: str
    reason: str
    guild_id: int | None
    channel_id: int | None
    message_id: int | None


def groups(reply: Reply) -> dict[str, list[Hit]]:
    """The answer's groups by their heading line, each with its hits in order."""
    [embed] = reply.embeds
    out: dict[str, list[Hit]] = {}
    for block in embed["description"].split("\n\n"):
        heading, *lines = block.split("\n")
        hits = out.setdefault(heading, [])
        for line, reason in zip(lines[::2], lines[1::2], strict=True):
            assert line.startswith("• ") and reason.startswith("  ↳ _"), block
            link = LINK.search(line)
            ids = [int(x) if x else None for x in link.groups()] if link else [None] * 3
            hits.append(Hit(line, reason.strip()[3:-1], *ids))
    return out


@dataclass
class Network:
    """What each network holds, as the tests look for it."""

    other: Any
    minutes: dict[int, Any]  # guild id → the minutes message the bot posted


async def register_practice(sb: Sandbox, user: Any, guild: Any, values: dict[str, str]) -> None:
    """`/practice add` as a member fills it in (the modal, then Spara)."""
    modal = await sb.invoke("practice add", {}, user=user, guild=guild, locale=SV)
    step = await sb.submit_modal(modal, values, user=user, locale=SV)
    saved = await sb.click(step, "Spara", user=user, locale=SV)
    assert "Sparat" in saved.text, saved.text


async def hold_meeting(
    world: World, guild: Any, decision: str, note: str, action: str, owner: Any
) -> None:
    """The meeting of 3 December: the admin chairs (start, the decision, the action), Anna
    notes, the admin ends it; the minutes are posted in the meetings channel."""
    sb = world.sandbox
    maria = sb.as_user(world.admin, guild=guild, locale=SV)
    anna = sb.as_user(world.anna, guild=guild, locale=SV)
    assert "har börjat" in (await maria.invoke("möte starta", {})).text
    assert "Beslutet" in (await maria.invoke("möte beslut", {"text": decision})).text
    assert "anteckning" in (await anna.invoke("möte anteckning", {"text": note})).text
    acted = await maria.invoke(
        "möte åtgärd", {"ansvarig": owner, "text": action, "klart-senast": "15 dec"}
    )
    assert action in acted.text
    ended = await maria.invoke("möte avsluta", {})
    assert "Protokollet: https://discord.com/channels/" in ended.text


@pytest.fixture
async def held(world: World) -> Network:
    """Halland (set up, with people) and Fyrbodal, both with a practice registered and the
    monthly meeting held on 3 December."""
    sb = world.sandbox
    net = await build_net(world)
    other = net["other"]
    await sb.add_member(other, world.anna)
    await run_setup(sb, other, world.admin)
    await register_practice(sb, world.anna, world.guild, PRACTICE)
    await register_practice(sb, world.admin, other, THEIR_PRACTICE)
    for guild in (world.guild, other):
        draft = await sb.invoke(
            "meeting schedule",
            {"title": "Nätverksträff", "rule": "first", "weekday": 3, "start_time": "kl 13",
             "duration": "2 h"},
            user=world.admin, guild=guild, locale=SV,
        )  # fmt: skip
        await sb.wait_for_followup(await sb.click(draft, "Bekräfta", user=world.admin))
    await world.advance(timedelta(days=10, hours=3, minutes=5))  # Thursday 3 December, 13:05
    await hold_meeting(world, world.guild, DECISION, NOTE, ACTION, world.erik)
    await hold_meeting(world, other, THEIR_DECISION, THEIR_NOTE, THEIR_ACTION, world.admin)
    posted = {}
    for guild in (world.guild, other):
        settings = await network.get(world.bot.db, guild.id)
        channel = sb.world.channels[settings.channels["meetings"]]
        [posted[guild.id]] = [
            m for m in sb.channel_messages(channel) if m.author.id == sb.bot_user.id and
            any(a.filename == "minutes-2026-12-03.md" for a in m.attachments)
        ]  # fmt: skip
    return Network(other, posted)


def assert_links_to_the_minutes(world: World, hit: Hit, minutes: Any, text: str) -> None:
    """The hit's link is the minutes message the sandbox holds, whose minutes hold `text`."""
    assert (hit.guild_id, hit.channel_id, hit.message_id) == (
        world.guild.id, minutes.channel_id, minutes.id
    )  # fmt: skip
    message = world.sandbox.world.messages[hit.message_id]
    assert not message.deleted and message.guild_id == world.guild.id
    assert text in message.attachments[0].data.decode()


def nothing_from(reply: Reply, other: Any, *words: str) -> None:
    """Nothing of the other network: not its guild in a link, not a word of its entries."""
    assert f"/channels/{other.id}/" not in reply.text
    for word in words:
        assert word not in reply.embeds[0]["description"], word


@pytest.mark.parametrize(
    ("locale", "question", "reason"),
    [
        (SV, "vad beslutade vi om samhällsguiderna?", "samhällsguiderna i texten"),
        (EN, "what did we decide about civic guides?", "civic guides in the text (synonym)"),
    ],
)
async def test_a_decision_answers_with_a_link_to_the_minutes(
    world: World, held: Network, locale: str, question: str, reason: str
) -> None:
    reply = await ask(world, world.erik, question, locale)
    found = groups(reply)
    [hit] = found[HEADINGS[locale]["decision"]]
    assert f"[{DECISION}]" in hit.line and "Nätverksträff · 2026-12-03" in hit.line
    assert hit.reason == MATCHED[locale] + reason
    assert_links_to_the_minutes(world, hit, held.minutes[world.guild.id], DECISION)
    nothing_from(reply, held.other, "Fyrbodal", "Lysekil")
    # Asked in Fyrbodal, the same question finds Fyrbodal's decision, and only that.
    there = await world.sandbox.invoke(
        "ask question", {"text": question}, user=world.admin, guild=held.other, locale=locale
    )
    [theirs] = groups(there)[HEADINGS[locale]["decision"]]
    assert f"[{THEIR_DECISION}]" in theirs.line
    assert theirs.message_id == held.minutes[held.other.id].id


@pytest.mark.parametrize(
    ("locale", "question", "reason"),
    [
        (SV, "vad vet vi om simskola för kvinnor?", "simskola i texten, kvinnor i texten"),
        (EN, "anything about swimming for women?",
         "swimming in the text (synonym), women in the text (synonym)"),
    ],
)  # fmt: skip
async def test_a_minutes_note_answers_with_a_link_to_the_minutes(
    world: World, held: Network, locale: str, question: str, reason: str
) -> None:
    reply = await ask(world, world.anna, question, locale)
    [hit] = groups(reply)[HEADINGS[locale]["minutes"]]
    assert f"[{NOTE}]" in hit.line and hit.reason == MATCHED[locale] + reason
    assert_links_to_the_minutes(world, hit, held.minutes[world.guild.id], NOTE)
    nothing_from(reply, held.other, "Uddevalla")


@pytest.mark.parametrize(
    ("locale", "question", "reason", "owner"),
    [
        (SV, "vem bokar tolk till föräldramötet?", "bokar i texten, tolk i texten, "
         "föräldramötet i texten", "ansvarig: "),
        (EN, "who books the interpreter?", "interpreter in the text (synonym)", "owner: "),
    ],
)  # fmt: skip
async def test_an_action_answers_with_its_owner_and_the_minutes(
    world: World, held: Network, locale: str, question: str, reason: str, owner: str
) -> None:
    reply = await ask(world, world.anna, question, locale)
    [hit] = groups(reply)[HEADINGS[locale]["action"]]
    assert f"[{ACTION}]" in hit.line and hit.reason == MATCHED[locale] + reason
    assert f"{owner}<@{world.erik.id}>" in hit.line  # Erik's, not the chair's
    assert_links_to_the_minutes(world, hit, held.minutes[world.guild.id], ACTION)
    nothing_from(reply, held.other, "Fyrbodals", str(world.admin.id))


@pytest.mark.parametrize(
    ("locale", "question", "reason"),
    [
        (SV, "finns det läxhjälp på något bibliotek?", "läxhjälp i titel, bibliotek i titel"),
        (EN, "any homework help?", "homework help in title (synonym)"),
    ],
)
async def test_a_practice_answers_with_a_link_to_its_forum_post(
    world: World, held: Network, locale: str, question: str, reason: str
) -> None:
    reply = await ask(world, world.erik, question, locale)
    [hit] = groups(reply)[HEADINGS[locale]["practice"]]
    title = PRACTICE["practice:title"]
    assert f"[{title}]" in hit.line and "Volontärer ger läxhjälp" in hit.line
    assert hit.reason == MATCHED[locale] + reason
    # The link is the practice's post in the practices forum, as the sandbox holds it.
    assert hit.guild_id == world.guild.id and hit.message_id is None
    settings = await network.get(world.bot.db, world.guild.id)
    post = world.sandbox.world.channels[hit.channel_id]
    assert post.parent_id == settings.channels["practices"] and post.name == title
    assert "Volontärer ger läxhjälp" in world.sandbox.channel_messages(post)[0].content


@pytest.mark.parametrize(
    ("locale", "question"),
    [(SV, "finns det stöd för körkort?"), (EN, "any support with driving licences?")],
)
async def test_a_practice_only_another_network_has_is_not_even_counted(
    world: World, held: Network, locale: str, question: str
) -> None:
    """Fyrbodal's driving-licence practice answers there; from Halland the question finds
    nothing, and the hand-off post names no practice either."""
    there = await world.sandbox.invoke(
        "ask question", {"text": question}, user=world.admin, guild=held.other, locale=locale
    )
    [hit] = groups(there)[HEADINGS[locale]["practice"]]
    assert "Körkortsstöd i Fyrbodal" in hit.line and hit.guild_id == held.other.id
    before = len(forum_posts(world, questions_forum(world)))
    reply = await ask(world, world.anna, question, locale)
    none = "Inget i nätverket matchar" if locale == SV else "Nothing in the network matches"
    assert reply.embeds[0]["description"].startswith(none)
    assert HEADINGS[locale]["practice"] not in reply.text
    nothing_from(reply, held.other, "Körkortsstöd", "Fyrbodal", "Teorilektioner")
    [post] = forum_posts(world, questions_forum(world))[before:]
    first = world.sandbox.channel_messages(post)[0].content
    assert "Körkortsstöd" not in first and f"/channels/{held.other.id}/" not in first


async def test_minutes_ended_without_a_meetings_channel_are_linked_where_they_were_posted(
    world: World,
) -> None:
    """A network without a meetings channel gets its minutes in the channel the chair ended
    the meeting in: that message is what `/ask` links to."""
    await monthly(world)
    world.clock.advance(timedelta(days=10, hours=3, minutes=5))
    maria = world.as_user(world.admin, locale=SV)
    await maria.invoke("möte starta", {})
    await maria.invoke("möte beslut", {"text": DECISION})
    ended = await maria.invoke("möte avsluta", {})
    assert "Mötet är avslutat" in ended.text and ended.attachments
    assert ended.message is not None
    reply = await ask(world, world.erik, "what did we decide about civic guides?", EN)
    [hit] = groups(reply)[HEADINGS[EN]["decision"]]
    assert_links_to_the_minutes(world, hit, ended.message, DECISION)
    # The list of past minutes links to it too.
    past = await world.as_erik.invoke("meeting minutes", {}, locale=EN)
    assert f"/{ended.message.channel_id}/{ended.message.id}" in past.text
