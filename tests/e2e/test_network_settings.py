"""An admin reads and changes the network's settings; bad input changes nothing."""

from __future__ import annotations

import pytest

from bot.services import network
from tests.e2e.conftest import World
from tests.e2e.test_network_setup import new_guild


async def test_settings_are_shown_in_swedish_and_english(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    sv = await sb.invoke("network settings", {}, user=world.admin, guild=guild, locale="sv-SE")
    assert sv.ephemeral
    assert "Nätverkets inställningar – Integration Halland" in sv.text
    assert "Europe/Stockholm" in sv.text and "Svenska" in sv.text
    assert "Inte installerat än – kör /nätverk installera." in sv.text
    assert "efter 30 dagar" in sv.text and "var 183:e dag" in sv.text
    assert [b.label for b in sv.buttons] == ["Redigera integritetstexten"]
    en = await sb.invoke("network settings", {}, user=world.admin, guild=guild, locale="en-US")
    assert "Network settings – Integration Halland" in en.text
    assert "Not set up yet – run /network setup." in en.text and "Swedish" in en.text


async def test_changing_several_settings_at_once(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    reply = await sb.invoke(
        "network settings",
        {
            "name": "Integration Halland 2027",
            "time_zone": "europe/helsinki",
            "leaver_grace_days": 60,
            "confirm_after_days": 365,
        },
        user=world.admin,
        guild=guild,
    )
    assert "Sparat: namn, tidszon, gallringstid, bekräftelseintervall." in reply.text
    s = await network.get(world.bot.db, guild.id)
    assert (s.name, s.timezone, s.leaver_grace_days, s.confirm_after_days) == (
        "Integration Halland 2027",
        "Europe/Helsinki",
        60,
        365,
    )
    same = await sb.invoke(
        "network settings", {"leaver_grace_days": 60}, user=world.admin, guild=guild
    )
    assert "Inget ändrades" in same.text


async def test_changing_the_language_switches_the_networks_replies(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    reply = await sb.invoke("network settings", {"language": "en"}, user=world.admin, guild=guild)
    assert "Sparat: språk." in reply.text
    assert world.bot.network_langs[guild.id] == "en"
    # A user whose own language Krokarm does not speak now gets the network's: English.
    help_reply = await sb.invoke("help", {}, user=world.anna, guild=guild, locale="de")
    assert "Krokarm – commands" in help_reply.text
    # Setup now names things in English.
    plan = await sb.invoke("network setup", {}, user=world.admin, guild=guild, locale="en-US")
    assert "#welcome" in plan.text and "#välkommen" not in plan.text


async def test_admin_role_makes_a_member_an_admin(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    role = sb.create_role(guild, "Samordnare")
    sb.set_member_roles(guild, world.anna, [role])
    denied = await sb.invoke("network settings", {}, user=world.anna, guild=guild)
    assert "Det här får bara nätverkets administratörer göra" in denied.text
    await sb.invoke("network settings", {"admin_role": role}, user=world.admin, guild=guild)
    allowed = await sb.invoke("network settings", {}, user=world.anna, guild=guild)
    assert "Nätverkets inställningar" in allowed.text and f"<@&{role.id}>" in allowed.text


@pytest.mark.parametrize(
    ("options", "sv", "en"),
    [
        (
            {"name": "x" * 5000},
            "**Nätverkets namn**: får vara högst 100 tecken (nu 5\u00a0000).",
            "**Network name**: may be at most 100 characters (it is 5,000).",
        ),
        (
            {"name": "Alla @everyone"},
            "**Nätverkets namn**: får inte innehålla omnämnanden",
            "**Network name**: must not contain mentions",
        ),
        (
            {"name": "<@&123456789012345678> kom hit"},
            "får inte innehålla omnämnanden",
            "must not contain mentions",
        ),
        (
            {"name": "Integration", "time_zone": "Mars/Olympus"},
            "**Tidszon**: ”Mars/Olympus” är ingen tidszon",
            "**Time zone**: “Mars/Olympus” is not a time zone",
        ),
        (
            {"name": "Integration", "leaver_grace_days": 0},
            "**Gallring efter att någon lämnat**: ska vara ett helt antal dagar från 1 till 365.",
            "**Removal after someone leaves**: must be a whole number of days from 1 to 365.",
        ),
        ({"confirm_after_days": 2000}, "från 7 till 1", "from 7 to 1"),
        ({"name": "Nätverket 850709-9805"}, "personnummer", "personal identity number"),
    ],
)
async def test_bad_settings_get_a_clear_message_and_change_nothing(
    world: World, options: dict, sv: str, en: str
) -> None:
    sb, guild = world.sandbox, world.guild
    before = await network.get(world.bot.db, guild.id)
    reply = await sb.invoke("network settings", options, user=world.admin, guild=guild)
    assert reply.ephemeral and sv in reply.text
    english = await sb.invoke(
        "network settings", options, user=world.admin, guild=guild, locale="en-US"
    )
    assert en in english.text
    assert await network.get(world.bot.db, guild.id) == before


async def test_the_everyone_role_cannot_be_the_member_role(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    reply = await sb.invoke(
        "network settings", {"member_role": guild.everyone_role}, user=world.admin, guild=guild
    )
    assert "kan inte användas" in reply.text
    assert (await network.get(world.bot.db, guild.id)).member_role_id is None


async def test_privacy_notice_is_edited_in_a_modal_and_reset(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    shown = await sb.invoke("network settings", {}, user=world.admin, guild=guild)
    modal = await world.as_admin.click(shown, "Redigera integritetstexten")
    assert modal.kind == "modal" and modal.modal is not None
    field = modal.modal.fields[0]
    # The admin edits exactly the notice members are shown.
    notice = await sb.invoke("privacy notice", {}, user=world.anna, guild=guild)
    assert field.max_length == 4000 and field.value == notice.embeds[0]["description"]
    # Saving it unchanged keeps following the default (which follows the retention settings).
    unchanged = await world.as_admin.submit_modal(modal, {field.custom_id: field.value})
    assert "Standardtexten" in unchanged.text
    assert (await network.get(world.bot.db, guild.id)).privacy_notice is None
    modal = await world.as_admin.click(shown, "Redigera integritetstexten")
    # A member cannot open it, even with the button in hand.
    denied = await world.as_anna.click(shown, "Redigera integritetstexten")
    assert "bara nätverkets administratörer" in denied.text
    saved = await world.as_admin.submit_modal(
        modal, {field.custom_id: "Vår egen text om **data**."}
    )
    assert "Integritetstexten är sparad." in saved.text and "Egen text (26 tecken)" in saved.text
    assert (
        await network.get(world.bot.db, guild.id)
    ).privacy_notice == "Vår egen text om **data**."
    again = await world.as_admin.click(saved, "Redigera integritetstexten")
    bad = await world.as_admin.submit_modal(again, {field.custom_id: "Ring mig, 19850709-9805"})
    assert "**Integritetstext**" in bad.text and "personnummer" in bad.text
    assert (
        await network.get(world.bot.db, guild.id)
    ).privacy_notice == "Vår egen text om **data**."
    reset = await sb.invoke(
        "network settings", {"reset_privacy_notice": True}, user=world.admin, guild=guild
    )
    assert "Sparat: integritetstext." in reset.text and "Standardtexten" in reset.text


async def test_two_networks_keep_separate_settings_and_municipalities(world: World) -> None:
    sb = world.sandbox
    fyrbodal = await new_guild(world, "Fyrbodal", "en-US", world.erik, world.anna)
    await sb.invoke(
        "network settings",
        {"time_zone": "UTC", "leaver_grace_days": 14},
        user=world.erik,
        guild=fyrbodal,
        locale="en-US",
    )
    await sb.invoke(
        "network municipalities add",
        {"preset": "fyrbodal"},
        user=world.erik,
        guild=fyrbodal,
        locale="en-US",
    )
    await world.as_admin.invoke("network municipalities add", {"preset": "county-13"})
    halland = await network.get(world.bot.db, world.guild.id)
    other = await network.get(world.bot.db, fyrbodal.id)
    assert (halland.timezone, halland.leaver_grace_days, halland.locale) == (
        "Europe/Stockholm",
        30,
        "sv-SE",
    )
    assert (other.timezone, other.leaver_grace_days, other.locale) == ("UTC", 14, "en")
    listed = await sb.invoke(
        "network municipalities list", {}, user=world.erik, guild=fyrbodal, locale="en-US"
    )
    assert "14 member municipalities" in listed.text and "Lysekil" in listed.text
    assert "Halmstad" not in listed.text
    mine = await world.as_admin.invoke("network municipalities list", {})
    assert "6 medlemskommuner" in mine.text and "Lysekil" not in mine.text
    # Erik is no admin on Halland's server, though he is one on Fyrbodal's.
    denied = await world.as_erik.invoke("network settings", {}, locale="en-US")
    assert "Only the network's admins" in denied.text
