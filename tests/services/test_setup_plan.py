"""The setup plan: create on an empty server, keep on a second run, adopt renamed and
hand-made channels, never plan a deletion."""

from __future__ import annotations

import dataclasses

import pytest

from bot.i18n import LANGS
from bot.services.setup_plan import (
    MAX_FORUM_TAGS,
    TAG_NAME_MAX,
    ExistingChannel,
    ExistingRole,
    ExistingTag,
    Plan,
    Snapshot,
    desired_structure,
    make_plan,
    name_key,
    required_permissions,
)

GUILD, BOT = 1000, 2000


def empty(**kwargs: object) -> Snapshot:
    return Snapshot(
        guild_id=GUILD,
        bot_user_id=BOT,
        channels=(ExistingChannel(1, "general", "text"),),
        roles=(
            ExistingRole(GUILD, "@everyone", assignable=False),
            ExistingRole(3, "Krokarm", False),
        ),
        **kwargs,  # type: ignore[arg-type]
    )


def built(plan: Plan) -> Snapshot:
    """The server after applying `plan` to `empty()`, with everything remembered."""
    ids = iter(range(10_000, 20_000))
    roles = {s.role.purpose: next(ids) for s in plan.roles}
    channels: list[ExistingChannel] = [ExistingChannel(1, "general", "text")]
    remembered: dict[str, int] = {}
    tags: dict[tuple[str, str], int] = {}
    target = {"everyone": GUILD, "bot": BOT, **roles}
    for step in plan.channels:
        d = step.channel
        tag_list = tuple(ExistingTag(next(ids), t.name) for t in d.tags)
        for desired_tag, tag in zip(d.tags, tag_list, strict=True):
            tags[(d.purpose, desired_tag.key)] = tag.id
        cid = next(ids)
        remembered[d.purpose] = cid
        channels.append(
            ExistingChannel(
                cid,
                d.name,
                d.kind,
                tags=tag_list,
                overwrite_ids=frozenset(target[o.target] for o in d.overwrites),
            )
        )
    return Snapshot(
        guild_id=GUILD,
        bot_user_id=BOT,
        channels=tuple(channels),
        roles=(*empty().roles, *(ExistingRole(i, p) for p, i in roles.items())),
        remembered_channels=remembered,
        remembered_roles=roles,
        remembered_tags=tags,
    )


@pytest.mark.parametrize("lang", LANGS)
def test_empty_server_creates_everything(lang: str) -> None:
    structure = desired_structure(lang, "Integration Halland")  # type: ignore[arg-type]
    plan = make_plan(structure, dataclasses.replace(empty(), channels=()))
    assert [s.action for s in plan.channels] == ["create"] * 8
    assert [s.action for s in plan.roles] == ["create", "create"]
    assert plan.channel("practices").tags_to_create and len(plan.channel("practices").tags) == 10
    assert [t.key for t in plan.channel("questions").tags_to_create] == ["answered"]
    assert plan.changes_anything
    assert plan.channel("general").channel.name == ("allmänt" if lang == "sv" else "general")


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_servers_own_general_is_adopted_in_either_language(lang: str) -> None:
    plan = make_plan(desired_structure(lang, "Fyrbodal"), empty())  # type: ignore[arg-type]
    step = plan.channel("general")
    assert step.action == "adopt" and step.existing is not None and step.existing.id == 1
    assert len(step.overwrites_to_add) == 4  # everyone, member, admin, bot: none there yet


@pytest.mark.parametrize("lang", LANGS)
def test_second_run_changes_nothing(lang: str) -> None:
    structure = desired_structure(lang, "Integration Halland")  # type: ignore[arg-type]
    plan = make_plan(structure, empty())
    again = make_plan(structure, built(plan))
    assert not again.changes_anything
    assert again.count("keep") == 10 and again.count("create") == 0


def test_renamed_channel_is_kept_by_id_and_hand_made_one_adopted_by_name() -> None:
    structure = desired_structure("sv", "Integration Halland")
    snapshot = built(make_plan(structure, empty()))
    renamed = [
        dataclasses.replace(c, name="snack")
        if c.id == snapshot.remembered_channels["general"]
        else c
        for c in snapshot.channels
    ]
    # The tips channel was deleted; an admin made "#Omvärldsbevakning" by hand.
    tips_id = snapshot.remembered_channels["tips"]
    renamed = [c for c in renamed if c.id != tips_id]
    renamed.append(ExistingChannel(77, "Omvärlds-bevakning", "text"))
    plan = make_plan(structure, dataclasses.replace(snapshot, channels=tuple(renamed)))
    general = plan.channel("general")
    assert general.action == "keep" and general.existing is not None
    assert general.existing.name == "snack"
    tips = plan.channel("tips")
    assert tips.action == "adopt" and tips.existing is not None and tips.existing.id == 77
    assert len(tips.overwrites_to_add) == 4
    assert plan.count("create") == 0


def test_same_name_of_the_wrong_type_is_not_adopted() -> None:
    snapshot = dataclasses.replace(
        empty(),
        channels=(ExistingChannel(5, "frågor", "text"), ExistingChannel(6, "välkommen", "voice")),
    )
    plan = make_plan(desired_structure("sv", "N"), snapshot)
    assert plan.channel("questions").action == "create"
    assert plan.channel("welcome").action == "create"


def test_existing_tags_are_adopted_and_missing_ones_added_within_the_limit() -> None:
    others = tuple(ExistingTag(100 + i, f"Egen tagg {i}") for i in range(15))
    forum = ExistingChannel(9, "goda-exempel", "forum", tags=(ExistingTag(50, "språk"), *others))
    plan = make_plan(desired_structure("sv", "N"), dataclasses.replace(empty(), channels=(forum,)))
    step = plan.channel("practices")
    assert step.action == "adopt"
    actions = {s.tag.key: s.action for s in step.tags}
    assert actions["language"] == "adopt"
    assert len(step.tags_to_create) == MAX_FORUM_TAGS - 16
    assert len(step.tags_over_limit) == 9 - len(step.tags_to_create)


def test_roles_kept_by_id_adopted_by_name_never_managed_ones() -> None:
    snapshot = dataclasses.replace(
        empty(),
        roles=(
            *empty().roles,
            ExistingRole(20, "Nätverksmedlem", assignable=False),  # a bot's managed role
            ExistingRole(21, "network admin"),
            ExistingRole(22, "Ombytt namn"),
        ),
        remembered_roles={"member": 22},
    )
    plan = make_plan(desired_structure("sv", "N"), snapshot)
    assert plan.role("admin").action == "adopt" and plan.role("admin").existing.id == 21  # type: ignore[union-attr]
    assert plan.role("member").action == "keep" and plan.role("member").existing.id == 22  # type: ignore[union-attr]


def test_structure_fits_discords_limits_and_both_languages() -> None:
    for lang in LANGS:
        s = desired_structure(lang, "N")
        for channel in s.channels:
            assert 1 <= len(channel.name) <= 100
            assert len(channel.tags) <= MAX_FORUM_TAGS
            for tag in channel.tags:
                assert 1 <= len(tag.name) <= TAG_NAME_MAX, tag.name
            if channel.kind in ("text", "forum"):
                assert channel.name == channel.name.lower() and " " not in channel.name
                assert channel.topic and len(channel.topic) <= 1024
    assert name_key("#Omvärlds-bevakning") == name_key("omvarldsbevakning")


def test_the_bot_only_grants_what_it_holds() -> None:
    from bot.permissions import REQUIRED

    for name in required_permissions(desired_structure("sv", "N")):
        assert getattr(REQUIRED, name), name
