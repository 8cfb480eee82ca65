"""The bot never hands out power: the member and admin roles carry nothing beyond what members
need, lie below the chooser and the bot, and are checked again at the moment they are given."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.services import network, organisations
from sandbox import Perm, Reply, Role, payloads
from tests.e2e.conftest import World
from tests.e2e.test_onboarding import configured, greeting_for


def edit_role(world: World, guild: Any, role: Role, **changes: Any) -> None:
    """What an admin does in Server Settings → Roles: Discord sends GUILD_ROLE_UPDATE."""
    for key, value in changes.items():
        setattr(role, key, value)
    world.sandbox.world.dispatch(
        "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": payloads.role(role)}
    )


async def until_bot_sees(world: World, guild: Any, role: Role) -> None:
    for _ in range(200):
        seen = world.bot.get_guild(guild.id)
        cached = seen.get_role(role.id) if seen is not None else None
        if (
            cached is not None
            and cached.permissions.value == role.permissions
            and cached.position == role.position
        ):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot never saw the role change")


async def admin_role(world: World, guild: Any) -> Role:
    role_id = (await network.get(world.bot.db, guild.id)).admin_role_id
    assert role_id is not None
    return guild.roles_by_id[role_id]


async def newcomer_picks(world: World, guild: Any, username: str) -> tuple[Any, Reply]:
    sb = world.sandbox
    user = sb.create_user(username, global_name=username.title(), locale="sv-SE")
    await sb.add_member(guild, user)
    greeting = await greeting_for(world, guild, user, "välkommen")
    picker = await sb.click(greeting, "Välj organisation", user=user)
    picked = await sb.select(picker, picker.selects[0].custom_id, ["Halmstad"], user=user)
    return user, picked


async def dms_mentioning(world: World, user: Any, text: str) -> list[str]:
    for _ in range(100):
        found = [m.content for m in world.sandbox.dm_messages(user) if text in m.content]
        if found:
            return found
        await asyncio.sleep(0.01)
    return []


async def test_a_network_admin_cannot_make_the_bot_give_out_administrator(world: World) -> None:
    """The attack from the review: Anna holds only the network-admin role (no Manage Roles, no
    Manage Server), sets a role carrying Administrator as the member role, and a newcomer picks
    an organisation. Refused when set; and, were it set, refused when given."""
    sb, guild = world.sandbox, world.guild
    await configured(world)
    sb.set_member_roles(guild, world.anna, [await admin_role(world, guild)])
    superrole = sb.create_role(guild, "Superroll", Perm.ADMINISTRATOR | Perm.MENTION_EVERYONE)
    before = (await network.get(world.bot.db, guild.id)).member_role_id

    refused = await sb.invoke(
        "network settings", {"member_role": superrole}, user=world.anna, guild=guild
    )
    assert "**Medlemsroll**: den här rollen kan inte användas." in refused.text
    assert "Rollen **Superroll** har behörigheter som medlemmar inte behöver" in refused.text
    assert "Administratör, Nämna @everyone, @here och alla roller" in refused.text
    assert "Du skulle inte själv kunna ge rollen **Superroll**" in refused.text
    assert "Hantera roller" in refused.text
    assert (await network.get(world.bot.db, guild.id)).member_role_id == before

    # The same for the admin role, in English.
    en = await sb.invoke(
        "network settings", {"admin_role": superrole}, user=world.anna, guild=guild, locale="en-US"
    )
    assert "**Admin role**: this role cannot be used." in en.text
    assert "Administrator, Mention @everyone, @here, and All Roles" in en.text
    assert "You could not give the role **Superroll** yourself" in en.text

    # Stored anyway (as the code before this check allowed): the bot still does not give it.
    await network.update(world.bot.db, guild.id, member_role_id=superrole.id)
    fatima, picked = await newcomer_picks(world, guild, "fatima")
    assert "Tack! Din organisation är nu Halmstad." in picked.text
    assert "Krokarm gav dig inte medlemsrollen" in picked.text
    await asyncio.sleep(0.05)
    assert superrole.id not in guild.members_by_id[fatima.id].roles
    # The owner and the network admin are told, once, in the network's language.
    for admin in (world.admin, world.anna):
        [told] = await dms_mentioning(world, admin, "Superroll")
        assert "Krokarm gav inte medlemsrollen i **Integration Halland**" in told
        assert "Administratör" in told
    await newcomer_picks(world, guild, "omar")
    assert len(await dms_mentioning(world, world.admin, "Superroll")) == 1


async def test_a_role_edited_to_gain_permissions_is_not_handed_out(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    members = sb.create_role(guild, "Medlemmar")
    saved = await sb.invoke(
        "network settings", {"member_role": members}, user=world.admin, guild=guild
    )
    assert "Sparat: medlemsroll." in saved.text
    _, picked = await newcomer_picks(world, guild, "fatima")
    assert "Du har fått medlemsrollen" in picked.text

    edit_role(world, guild, members, permissions=Perm.ADMINISTRATOR | Perm.KICK_MEMBERS)
    await until_bot_sees(world, guild, members)
    omar, picked = await newcomer_picks(world, guild, "omar")
    assert "Krokarm gav dig inte medlemsrollen" in picked.text
    await asyncio.sleep(0.05)
    assert members.id not in guild.members_by_id[omar.id].roles
    [told] = await dms_mentioning(world, world.admin, "Medlemmar")
    assert "Sparka ut, godkänna och avvisa medlemmar, Administratör" in told

    # Fixed by the admin: the next newcomer gets it again.
    edit_role(world, guild, members, permissions=0)
    await until_bot_sees(world, guild, members)
    _, picked = await newcomer_picks(world, guild, "lina")
    assert "Du har fått medlemsrollen" in picked.text


async def test_roles_above_the_chooser_or_the_bot_are_refused(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    bot_role = next(r for r in guild.roles_by_id.values() if r.managed)
    # Erik may manage the server and its roles, but his top role is below the one he picks.
    high = sb.create_role(guild, "Samordnare")
    low = sb.create_role(guild, "Rollhanterare", Perm.MANAGE_ROLES | Perm.MANAGE_GUILD)
    assert high.position > low.position
    sb.set_member_roles(guild, world.erik, [low])
    above_erik = await sb.invoke(
        "network settings", {"member_role": high}, user=world.erik, guild=guild, locale="en-US"
    )
    assert (
        "The role **Samordnare** is not below your highest role (**Rollhanterare**)"
        in above_erik.text
    )

    # Moved above the bot's own role: even the owner cannot make it the member role.
    edit_role(world, guild, high, position=bot_role.position + 1)
    await until_bot_sees(world, guild, high)
    above_bot = await sb.invoke(
        "network settings", {"member_role": high}, user=world.admin, guild=guild
    )
    assert "Rollen **Samordnare** ligger inte under Krokarms högsta roll" in above_bot.text
    # The owner may choose a harmless role below the bot, whatever her own roles.
    plain = sb.create_role(guild, "Vanlig")
    ok = await sb.invoke("network settings", {"member_role": plain}, user=world.admin, guild=guild)
    assert "Sparat: medlemsroll." in ok.text


async def test_the_profile_does_not_give_an_unsafe_role_either(world: World) -> None:
    """Picking the organisation in the profile gives the member role too: checked the same."""
    sb, guild = world.sandbox, world.guild
    await configured(world)
    role_id = (await network.get(world.bot.db, guild.id)).member_role_id
    assert role_id is not None
    role = guild.roles_by_id[role_id]
    edit_role(world, guild, role, permissions=Perm.MANAGE_MESSAGES | Perm.VIEW_CHANNEL)
    await until_bot_sees(world, guild, role)
    halmstad = next(
        o
        for o in await organisations.list_organisations(world.bot.db, guild.id)
        if o.name == "Halmstad"
    )
    modal = await sb.invoke("profile edit", {}, user=world.erik, guild=guild, locale="en-US")
    saved = await sb.submit_modal(
        modal, {"profile:title": "Samordnare"}, user=world.erik, locale="en-US"
    )
    picked = await sb.select(
        saved,
        f"krokarm:profile:organisation:{world.erik.id}:{world.guild.id}",
        [str(halmstad.id)],
        user=world.erik,
        locale="en-US",
    )
    told = await sb.wait_for_followup(picked)
    assert "Krokarm did not give you the member role" in told.content
    assert role_id not in guild.members_by_id[world.erik.id].roles
    [dm] = await dms_mentioning(world, world.admin, role.name)
    assert "Hantera meddelanden" in dm


async def test_a_returning_member_is_told_when_the_role_is_not_given(world: World) -> None:
    sb, guild = world.sandbox, world.guild
    await configured(world)
    fatima, picked = await newcomer_picks(world, guild, "fatima")
    assert "Du har fått medlemsrollen" in picked.text
    await sb.remove_member(guild, fatima)
    role_id = (await network.get(world.bot.db, guild.id)).member_role_id
    assert role_id is not None
    role = guild.roles_by_id[role_id]
    edit_role(world, guild, role, permissions=Perm.BAN_MEMBERS)
    await until_bot_sees(world, guild, role)
    await sb.add_member(guild, fatima)
    back = await sb.wait_for_message(
        sb.find_channel(guild, "välkommen"), lambda m: "Välkommen tillbaka" in m.content
    )
    assert "Krokarm gav dig inte medlemsrollen" in back.content
    assert role_id not in guild.members_by_id[fatima.id].roles
    [dm] = await dms_mentioning(world, world.admin, "Bannlysa medlemmar")
    assert "Integration Halland" in dm


async def test_a_member_role_moved_above_the_bot_is_a_missing_permission(world: World) -> None:
    guild = world.guild
    await configured(world)
    role_id = (await network.get(world.bot.db, guild.id)).member_role_id
    assert role_id is not None
    role = guild.roles_by_id[role_id]
    bot_role = next(r for r in guild.roles_by_id.values() if r.managed)
    edit_role(world, guild, role, position=bot_role.position + 1)
    await until_bot_sees(world, guild, role)
    _, picked = await newcomer_picks(world, guild, "fatima")
    assert "Krokarm kunde inte ge dig medlemsrollen (behörighet saknas)" in picked.text
    [dm] = await dms_mentioning(world, world.admin, "ligger inte under Krokarms högsta roll")
    assert role.name in dm


async def test_setup_never_adopts_a_role_of_the_right_name_that_grants_too_much(
    world: World,
) -> None:
    """A hand-made "Nätverksmedlem" with Administrator is not adopted: setup creates a role of
    its own and the plan (and the report) say why, in the admin's language."""
    sb, guild = world.sandbox, world.guild
    powerful = sb.create_role(guild, "Nätverksmedlem", permissions=int(Perm.ADMINISTRATOR))
    safe = sb.create_role(guild, "Network admin", permissions=int(Perm.VIEW_CHANNEL))
    english = await sb.invoke("network setup", {}, user=world.admin, guild=guild, locale="en-US")
    assert "A role called **Nätverksmedlem** already exists, but it is not used" in english.text
    assert "Administrator" in english.text
    plan = await sb.invoke("network setup", {}, user=world.admin, guild=guild)
    assert "Det finns redan en roll som heter **Nätverksmedlem**, men den används inte" in plan.text
    applying = await sb.click(plan, "Bekräfta", user=world.admin)
    await sb.wait_for_followup(applying)
    report = Reply.from_message("message", 0, applying.followups[-1], [], 0)
    assert "Nätverksmedlem" in report.text and "används inte" in report.text
    settings = await network.get(world.bot.db, guild.id)
    assert settings.member_role_id not in (None, powerful.id)
    assert settings.admin_role_id == safe.id  # a safe role of the right name is adopted
    created = guild.roles_by_id[settings.member_role_id]
    assert created.permissions == 0
