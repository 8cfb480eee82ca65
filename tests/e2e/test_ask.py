"""`/ask`, resources and the questions forum, end to end through the sandbox, in Swedish and
English: answers from each source with what matched and a link; nothing good → the hand-off
post naming who may know (pinging only the opted-in, never the asker); the bot's reply on a
member's post; marking it answered and finding it with the next `/ask`; hidden profiles and
other networks never appear; bad input is refused and writes nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.services import members, network, organisations, profiles
from bot.services.profiles import ProfileFields
from tests.e2e.conftest import World, result_of

HALMSTAD, VARBERG = "1380", "1383"


async def set_up(world: World) -> None:
    """The admin builds the server (the questions forum, the tips channel …)."""
    sb = world.sandbox
    plan = await sb.invoke("network setup", {}, user=world.admin, guild=world.guild)
    applying = await sb.click(plan, "Bekräfta", user=world.admin)
    await sb.wait_for_followup(applying, timeout=15)


async def person(
    world: World,
    user: Any,
    name: str,
    title: str,
    code: str,
    expertise: str,
    *,
    ping: bool = False,
    hidden: bool = False,
    guild_id: int | None = None,
) -> None:
    db, gid = world.bot.db, guild_id or world.guild.id
    orgs = {o.municipality_code: o.id for o in await organisations.list_organisations(db, gid)}
    now = world.clock.now()
    await members.set_organisation(db, gid, int(user.id), orgs[code], now)
    await profiles.save(
        db,
        gid,
        int(user.id),
        ProfileFields(name, title),
        now=now,
        expertise=profiles.parse_expertise(expertise),
    )
    if ping:
        await profiles.set_ask_opt_in(db, gid, int(user.id), True)
    if hidden:
        await profiles.set_visibility(db, gid, int(user.id), "hidden", now=now)


@pytest.fixture
async def net(world: World) -> dict[str, Any]:
    return await build_net(world)


async def build_net(world: World) -> dict[str, Any]:
    """The network set up, with people (one hidden), and another network, *Fyrbodal*, whose
    people know everything (its guild under "other"; the admin owns it)."""
    sb = world.sandbox
    await set_up(world)
    await organisations.add_municipalities(world.bot.db, world.guild.id, [HALMSTAD, VARBERG])
    users = {}
    for handle, name in (("fatima", "Fatima Hassan"), ("johan", "Johan Berg"), ("dold", "Dold")):
        users[handle] = sb.create_user(handle, global_name=name, locale="sv-SE")
        await sb.add_member(world.guild, users[handle])
    await person(world, users["fatima"], "Fatima Hassan", "TMO-utbildare", VARBERG, "TMO",
                 ping=True)  # fmt: skip
    await person(world, users["johan"], "Johan Berg", "Projektledare", HALMSTAD,
                 "praktik för nyanlända")  # fmt: skip
    await person(world, users["dold"], "Hemlig Person", "TMO-expert", HALMSTAD, "TMO",
                 ping=True, hidden=True)  # fmt: skip
    # Anna (the asker in several tests) knows TMO too and may be pinged: never by her question.
    await person(world, world.anna, "Anna Andersson", "Integrationssamordnare", HALMSTAD,
                 "TMO, samhällsorientering", ping=True)  # fmt: skip
    # Another network whose people know everything: never seen from this one.
    other = sb.create_guild("Fyrbodal", preferred_locale="sv-SE", owner=world.admin)
    await sb.add_member(other, world.admin)
    stranger = sb.create_user("stranger", global_name="Främling Fyrbodal")
    await sb.add_member(other, stranger)
    await world.bot.db.execute(
        "INSERT INTO networks (guild_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (other.id, "Fyrbodal"),
    )
    await organisations.add_municipalities(world.bot.db, other.id, [VARBERG])
    await person(world, stranger, "Främling Fyrbodal", "TMO-utbildare", VARBERG,
                 "TMO, praktik, tigrinja", ping=True, guild_id=other.id)  # fmt: skip
    return {**users, "other": other}


def questions_forum(world: World) -> Any:
    return world.sandbox.find_channel(world.guild, "frågor")


async def ask(world: World, user: Any, text: str, locale: str = "sv-SE") -> Any:
    return await world.sandbox.invoke(
        "ask question", {"text": text}, user=user, guild=world.guild, locale=locale
    )


async def test_answers_cite_people_and_resources_in_both_languages(
    world: World, net: dict[str, Any]
) -> None:
    sv = await ask(world, world.erik, "vem kan TMO?")
    assert "Det här vet nätverket" in sv.text and "Personer" in sv.text
    assert "Fatima Hassan" in sv.text and "matchade: tmo i kompetens" in sv.text
    assert f"<@{net['fatima'].id}>" in sv.text and "/kontakt kort" in sv.text
    assert "Hemlig" not in sv.text and "Främling" not in sv.text
    en = await ask(world, world.erik, "who knows trauma-informed care?", "en-US")
    assert "What the network knows" in en.text and "People" in en.text
    assert "Fatima Hassan" in en.text and "(synonym)" in en.text
    assert "Hemlig" not in en.text and "Främling" not in en.text
    # A resource, added by a member, answers the next question with its link.
    added = await world.sandbox.invoke(
        "resource add",
        {
            "title": "Webbkurs i traumamedveten omsorg",
            "link": "https://www.example.se/tmo-kurs",
            "kind": "training",
            "tags": "utbildning",
        },
        user=world.anna,
        guild=world.guild,
    )
    assert "Resursen är tillagd" in added.text and "tillagd av" in added.text
    found = await ask(world, world.erik, "finns det en webbkurs i traumamedveten omsorg?")
    assert "Resurser" in found.text and "https://www.example.se/tmo-kurs" in found.text
    english = await ask(world, world.erik, "any web course in trauma-informed care?", "en-US")
    assert "Resources" in english.text and "https://www.example.se/tmo-kurs" in english.text


async def add_topic_tag(world: World, forum: Any, name: str) -> int:
    """An admin adds a topic tag to the forum by hand (CHANNEL_UPDATE)."""
    from sandbox import payloads

    tag_id = world.sandbox.world.snowflake()
    forum.available_tags.append(
        {"id": str(tag_id), "name": name, "moderated": False, "emoji_id": None, "emoji_name": None}
    )
    world.sandbox.world.dispatch("CHANNEL_UPDATE", payloads.channel(forum))
    await asyncio.sleep(0.1)
    return tag_id


async def test_nothing_good_hands_the_question_to_people(world: World, net: dict[str, Any]) -> None:
    forum = questions_forum(world)
    tmo_tag = await add_topic_tag(world, forum, "TMO")
    await add_topic_tag(world, forum, "Boende")
    before = len(forum_posts(world, forum))
    reply = await ask(
        world, world.anna, "Har någon erfarenhet av TMO, praktik, kärnfysik och schack?"
    )
    assert "Inget i nätverket matchar frågan tillräckligt bra" in reply.text
    assert "Frågan är ställd till nätverket" in reply.text
    posts = forum_posts(world, forum)
    assert len(posts) == before + 1
    post = posts[-1]
    first = world.sandbox.channel_messages(post)[0]
    fatima, johan = net["fatima"].id, net["johan"].id
    assert f"<@{fatima}>" in first.content and f"<@{johan}>" in first.content
    # Only the opted-in are pinged; never the asker (who knows TMO and opted in), never a
    # hidden profile or another network's people.
    assert first.pinged_user_ids == {fatima}
    assert post.applied_tags == [tmo_tag]  # the fitting topic, never "answered"
    assert str(net["dold"].id) not in first.content and "Främling" not in first.content
    stored = await world.bot.db.fetchone(
        "SELECT asker_user_id, title FROM questions WHERE thread_id = ?", (post.id,)
    )
    assert stored["asker_user_id"] == world.anna.id


def forum_posts(world: World, forum: Any) -> list[Any]:
    return [c for c in world.sandbox.world.channels.values() if c.parent_id == forum.id]


async def test_the_ask_the_network_button_works_after_a_restart(
    world: World, net: dict[str, Any]
) -> None:
    reply = await ask(world, world.erik, "who knows TMO?", "en-US")
    assert "Fatima Hassan" in reply.text
    await world.restart()
    done = await world.sandbox.click(reply, "Ask the network", user=world.erik, locale="en-US")
    done = await world.sandbox.wait_for_followup(done) if not done.text else done
    assert "Your question is posted to the network" in done.text
    post = forum_posts(world, questions_forum(world))[-1]
    first = world.sandbox.channel_messages(post)[0]
    assert first.pinged_user_ids == {net["fatima"].id, world.anna.id}
    # Someone else's button is not theirs to press.
    other = await world.sandbox.click(reply, "Ask the network", user=world.anna)
    assert "någon annans" in other.text
    assert len(forum_posts(world, questions_forum(world))) == 1


async def test_a_members_post_is_answered_marked_and_found_next(
    world: World, net: dict[str, Any]
) -> None:
    sb = world.sandbox
    forum = questions_forum(world)
    post = await sb.create_forum_post(
        forum, world.erik, "Who can train staff in TMO?", "We need a course for our HVB staff."
    )
    bot_reply = await sb.wait_for_message(
        post, lambda m: m.author.id == sb.bot_user.id, existing=True
    )
    assert "Fatima Hassan" in bot_reply.content and "Personer" in bot_reply.content
    assert not bot_reply.pinged_user_ids
    # Not the asker, not an admin: refused.
    refused = await sb.click(bot_reply, "krokarm:askd", user=world.anna)
    assert "Bara den som ställde frågan" in refused.text
    modal = await sb.click(bot_reply, "krokarm:askd", user=world.erik, locale="en-US")
    assert modal.kind == "modal"
    [field] = [c["custom_id"] for row in modal.modal.components for c in row["components"]]
    done = await sb.submit_modal(
        modal, {field: "Fatima in Varberg runs a two-hour TMO course."}, user=world.erik,
        locale="en-US",
    )  # fmt: skip
    assert "marked answered" in done.text
    settings = await network.get(world.bot.db, world.guild.id)
    assert settings.forum_tags[("questions", "answered")] in post.applied_tags
    found = await ask(world, world.anna, "kan någon utbilda personal i TMO?")
    assert "Besvarade frågor" in found.text and "Who can train staff in TMO?" in found.text
    assert f"https://discord.com/channels/{world.guild.id}/{post.id}" in found.text
    english = await ask(world, world.erik, "who trains staff in TMO?", "en-US")
    assert "Answered questions" in english.text and "TMO course" in english.text


async def test_an_open_question_is_listed_to_the_admins_after_a_week(
    world: World, net: dict[str, Any]
) -> None:
    sb = world.sandbox
    post = await sb.create_forum_post(questions_forum(world), world.anna, "Vem kan schack?", "?")
    await sb.wait_for_message(post, lambda m: m.author.id == sb.bot_user.id, existing=True)
    runs = await world.advance(timedelta(days=8))
    assert result_of(runs, "questions:unanswered") == {world.guild.id: 1}
    dms = sb.dm_messages(world.admin)
    assert any("Vem kan schack?" in m.content for m in dms)
    again = await world.advance(timedelta(days=8))
    assert result_of(again, "questions:unanswered") == {}


BAD_QUESTIONS = [
    ("   ", "måste fyllas i"),
    ("x" * 5000, "högst 300 tecken"),
    ("@everyone vem kan TMO?", ""),
    ('"AND (NEAR(*', "minst ett ord"),
]


@pytest.mark.parametrize(("text", "says"), BAD_QUESTIONS)
async def test_bad_questions_are_refused_and_write_nothing(
    world: World, net: dict[str, Any], text: str, says: str
) -> None:
    reply = await ask(world, world.anna, text)
    assert "Fråga" in reply.text and says in reply.text, reply.text
    count = await world.bot.db.fetchval("SELECT COUNT(*) FROM questions")
    assert count == 0 and not forum_posts(world, questions_forum(world))


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.se/x", "https://"]
)
async def test_bad_links_are_refused_and_write_nothing(world: World, link: str) -> None:
    reply = await world.sandbox.invoke(
        "resource add",
        {"title": "Något", "link": link, "kind": "guide"},
        user=world.erik,
        guild=world.guild,
        locale="en-US",
    )
    assert "Link" in reply.text and "http://" in reply.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM resources") == 0


async def test_resources_find_edit_remove_and_tips(world: World) -> None:
    sb = world.sandbox
    await set_up(world)
    tip = await sb.invoke(
        "resource add",
        {
            "title": "Språkcafé i Uppsala",
            "link": "https://www.example.se/sprakcafe",
            "kind": "tip",
            "description": "Volontärer driver ett språkcafé på biblioteket.",
            "tags": "språkcafé, volontärer",
        },
        user=world.anna,
        guild=world.guild,
    )
    assert "delat i" in tip.text
    tips = sb.channel_messages(sb.find_channel(world.guild, "omvärldsbevakning"))
    assert tips and "Språkcafé i Uppsala" in tips[-1].text if hasattr(tips[-1], "text") else True
    found = await sb.invoke("resource find", {"query": "sprakcafe"}, user=world.erik,
                            guild=world.guild, locale="en-US")  # fmt: skip
    assert "1 resource" in found.text and "Språkcafé i Uppsala" in found.text
    assert f"<@{world.anna.id}>" in found.text  # who added it, and when
    by_tag = await sb.invoke("resource find", {"tag": "volontärer", "kind": "tip"},
                             user=world.anna, guild=world.guild)  # fmt: skip
    assert "1 resurs" in by_tag.text
    rid = str(await world.bot.db.fetchval("SELECT id FROM resources"))
    # Erik did not add it and is not an admin.
    refused = await sb.invoke("resource edit", {"resource": rid, "title": "Mitt"},
                              user=world.erik, guild=world.guild, locale="en-US")  # fmt: skip
    assert "Only whoever added the resource" in refused.text
    edited = await sb.invoke("resource edit", {"resource": rid, "title": "Språkcafé Uppsala"},
                             user=world.anna, guild=world.guild)  # fmt: skip
    assert "Resursen är ändrad" in edited.text
    removed = await sb.invoke("resource remove", {"resource": rid}, user=world.admin,
                              guild=world.guild)  # fmt: skip
    assert "Borttagen" in removed.text
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM resources") == 0


async def test_the_ping_opt_in_is_a_profile_setting(world: World, net: dict[str, Any]) -> None:
    sb = world.sandbox
    johan = net["johan"]
    said = await sb.invoke("profile questions", {"ping": "yes"}, user=johan, guild=world.guild)
    assert "pingas du" in said.text
    reply = await ask(world, world.erik, "Vem kan praktik, kärnfysik och schack och golf?")
    assert "Frågan är ställd till nätverket" in reply.text
    post = forum_posts(world, questions_forum(world))[-1]
    assert world.sandbox.channel_messages(post)[0].pinged_user_ids == {johan.id}
    off = await sb.invoke(
        "profile questions", {"ping": "no"}, user=johan, guild=world.guild, locale="en-US"
    )
    assert "do not ping you" in off.text


async def test_with_message_content_on_the_first_message_counts(
    clock: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MESSAGE_CONTENT=true (and the intent allowed in the portal): the bot reads a post's
    first message too. Off (every other test), it uses the title and tags only."""
    from bot.shell.running import running_bot
    from sandbox import Sandbox
    from tests.e2e.conftest import World, jobs_started

    monkeypatch.setenv("MESSAGE_CONTENT", "true")
    sb = Sandbox(clock=clock, privileged_intents=frozenset({"members", "message_content"}))
    await sb.start()
    try:
        owner = sb.create_user("maria", global_name="Maria Admin", locale="sv-SE")
        guild = sb.create_guild("Integration Halland", preferred_locale="sv-SE", owner=owner)
        anna = sb.create_user("anna", global_name="Anna Andersson", locale="sv-SE")
        erik = sb.create_user("erik", global_name="Erik Eriksson", locale="en-US")
        for user in (owner, anna, erik):
            await sb.add_member(guild, user)
        async with running_bot(sb, tmp_path / "k.db", clock=clock) as bot:
            await jobs_started(bot)
            assert bot.intents.message_content
            world = World(sb, guild, owner, anna, erik, bot, tmp_path / "k.db", clock)
            await set_up(world)
            await organisations.add_municipalities(bot.db, guild.id, [VARBERG])
            await person(world, anna, "Anna Andersson", "Samordnare", VARBERG, "TMO")
            post = await sb.create_forum_post(
                questions_forum(world), erik, "A question", "Who knows trauma-informed care?"
            )
            reply = await sb.wait_for_message(
                post, lambda m: m.author.id == sb.bot_user.id, existing=True
            )
            assert "Anna Andersson" in reply.content
    finally:
        await sb.stop()
    assert not sb.errors


async def test_a_quick_answer_comes_at_once_and_a_slow_one_after_thinking(
    world: World, net: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = await ask(world, world.erik, "vem kan TMO?")
    assert quick.response_type == 4  # one request: the answer itself
    assert "Fatima Hassan" in quick.text
    # Slower than Discord's three seconds allow: the bot defers ("thinking…"), then answers.
    monkeypatch.setattr("bot.ui.ANSWER_AT_ONCE", 0.0)
    slow = await ask(world, world.erik, "vem kan TMO?")
    assert slow.response_type == 5
    assert "Fatima Hassan" in slow.text and "Det här vet nätverket" in slow.text
    refused = await ask(world, world.erik, "vem?")  # no words left to search: an error, still
    assert refused.response_type == 5
    assert refused.text.startswith("**Fråga**: frågan behöver minst ett ord att söka på")
