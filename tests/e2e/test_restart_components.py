"""Nothing a user can see goes dead after a restart (issue 8 item 3).

Before the restart the bot shows everything it has: the profile's second step, pagers, the
forget-me question, the settings, the setup plan, the greeting's picker, /about, a refused
form's re-open button, and modals left open. The bot restarts on the same database; then every
component those replies carried is pressed (each on its own copy of the message, since a press
may change it) and every open modal is submitted: each works, or answers in the user's language
that it has expired and what to run. None goes unanswered ("This interaction failed")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.services import audit, functions, organisations, profiles
from bot.services.profiles import ProfileFields
from sandbox import Reply
from tests.e2e.conftest import World
from tests.e2e.test_onboarding import configured, greeting_for
from tests.e2e.test_owned_forms import second_network, step

Make = Callable[[], Awaitable[Reply]]
EXPIRED = ("har gått ut", "has expired")


def components(reply: Reply) -> list[tuple[str, Any]]:
    """Every enabled button and select of a reply, as ("button"|"select", component)."""
    out: list[tuple[str, Any]] = [("button", b) for b in reply.buttons if not b.disabled]
    out += [("select", s) for s in reply.selects if not s.disabled]
    return out


async def test_every_component_shown_before_a_restart_answers_after_it(world: World) -> None:
    sb, db, guild = world.sandbox, world.bot.db, world.guild
    anna, erik, admin = world.anna, world.erik, world.admin
    await configured(world)
    now = world.clock.now()
    orgs = await organisations.list_organisations(db, guild.id)
    [halmstad] = [o.id for o in orgs if o.name == "Halmstad"]
    await functions.add(db, guild.id, halmstad, "Integrationssamordnare", now=now)
    for i in range(12):
        await profiles.save(
            db, guild.id, 20_000 + i, ProfileFields(f"Samordnare {i:02d}", "Samordnare"), now=now
        )
    async with db.transaction():
        for _ in range(25):
            await audit.record(
                db, guild.id, actor_id=admin.id, subject_id=anna.id, action="profile.edit", now=now
            )
    fatima = sb.create_user("fatima", global_name="Fatima Hassan", locale="sv-SE")
    await sb.add_member(guild, fatima)
    greeting = await greeting_for(world, guild, fatima, "välkommen")

    async def step_two() -> Reply:
        form = await sb.invoke("profile edit", {"organisation": "Halmstad"}, user=anna, guild=guild)
        return await sb.submit_modal(form, {"profile:title": "Samordnare"}, user=anna)

    async def refused() -> Reply:
        form = await sb.invoke("profile edit", {}, user=erik, guild=guild)
        return await sb.submit_modal(form, {"profile:email": "inte en adress"}, user=erik)

    fresh = await second_network(world)  # a server not set up yet: its plan has buttons

    async def setup_plan() -> Reply:
        return await sb.invoke("network setup", {}, user=admin, guild=fresh)

    async def picker() -> Reply:
        search = await sb.click(greeting, "Välj organisation", user=fatima)
        field = search.modal.fields[0].custom_id  # type: ignore[union-attr]
        return await sb.submit_modal(search, {field: "halland"}, user=fatima)

    makers: dict[str, tuple[Any, Make]] = {
        "step two": (anna, step_two),
        "contact find": (
            anna,
            lambda: sb.invoke("contact find", {"query": "samordnare"}, user=anna, guild=guild),
        ),
        "audit": (admin, lambda: sb.invoke("directory audit", {}, user=admin, guild=guild)),
        "forget-me": (admin, lambda: sb.invoke("privacy forget-me", {}, user=admin, guild=guild)),
        "settings": (admin, lambda: sb.invoke("network settings", {}, user=admin, guild=guild)),
        "setup": (admin, setup_plan),
        "about": (anna, lambda: sb.invoke("about", {}, user=anna, guild=guild)),
        "refused form": (erik, refused),
        "picker": (fatima, picker),
    }
    for preset in ("county-14", "county-12", "county-01"):  # more than one page of organisations
        await sb.invoke("network municipalities add", {"preset": preset}, user=admin, guild=guild)
    makers["organisations"] = (
        admin,
        lambda: sb.invoke("network organisations list", {}, user=admin, guild=guild),
    )

    # One copy of each message per component it carries.
    to_press: list[tuple[str, Any, Reply, str, Any]] = []
    for name, (user, make) in makers.items():
        first = await make()
        shown = components(first)
        assert shown, f"{name} carries no component: {first.text[:300]}"
        for i, (kind, comp) in enumerate(shown):
            copy = first if i == 0 else await make()
            to_press.append((name, user, copy, kind, comp))
    # Forms left open: the profile, its second step, the privacy notice.
    second = await step_two()
    open_forms = {
        "profile": (anna, await sb.invoke("profile edit", {}, user=anna, guild=guild)),
        "second step": (anna, await sb.click(second, step(second, "more"), user=anna)),
        "privacy notice": (
            admin,
            await sb.click(
                await sb.invoke("network settings", {}, user=admin, guild=guild),
                "krokarm:net:privacy",
                user=admin,
            ),
        ),
    }
    open_forms["onboarding search"] = (
        fatima,
        await sb.click(greeting, "Välj organisation", user=fatima),
    )
    assert {kind for *_, kind, _ in to_press} == {"button", "select"}

    await world.restart()

    # The forget-me confirmation last: it erases the admin's data.
    to_press.sort(key=lambda p: "forget" in str(p[4].custom_id) and "confirm" in p[4].custom_id)
    for name, user, reply, kind, comp in to_press:
        where = f"{name}: {comp.custom_id}"
        if kind == "button":
            answer = await sb.click(reply, comp.custom_id, user=user)
        else:
            values = [comp.options[0].value] if comp.min_values else []
            answer = await sb.select(reply, comp.custom_id, values, user=user)
        if name == "setup" and "confirm" in str(comp.custom_id):
            await sb.wait_for_followup(answer)  # the setup finishes before the test does
        assert answer.kind in ("message", "update", "modal"), where
        assert answer.text, where
        if name == "refused form":
            assert any(e in answer.text for e in EXPIRED), where
            assert "/profile edit" in answer.text, where  # Erik reads English
        else:
            assert not any(e in answer.text for e in EXPIRED), f"{where} expired: {answer.text}"

    for name, (user, form) in open_forms.items():
        assert form.modal is not None
        values = {form.modal.fields[0].custom_id: "halland"} if name == "onboarding search" else {}
        answer = await sb.submit_modal(form, values, user=user)
        assert answer.ephemeral and "har gått ut" in answer.text, name
        run_again = {
            "privacy notice": "/nätverk inställningar",
            "onboarding search": "",  # opened by a button: "start again from it"
        }.get(name, "/profil redigera")
        assert run_again in answer.text, (name, answer.text)
