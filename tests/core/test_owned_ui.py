"""The pattern of fixed modal ids cannot come back: every modal a cog defines belongs to someone,
and every component id the bot can show starts with `krokarm:` (so `Expired` answers it)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import discord

import cogs
from bot import ui


def _cog_modules() -> list[Any]:
    found = []
    for info in pkgutil.walk_packages(cogs.__path__, "cogs."):
        found.append(importlib.import_module(info.name))
    return found


def _classes(base: type) -> list[type]:
    seen: dict[str, type] = {}
    for module in _cog_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__.startswith("cogs"):
                seen[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(seen.values())


def test_every_modal_of_a_cog_belongs_to_someone() -> None:
    modals = _classes(discord.ui.Modal)
    assert len(modals) >= 4
    for modal in modals:
        assert issubclass(modal, ui.OwnedModal), f"{modal.__qualname__} is not an OwnedModal"
        assert modal.kind != ui.OwnedModal.kind and ":" not in modal.kind


def test_modal_kinds_are_unique() -> None:
    kinds = [m.kind for m in _classes(discord.ui.Modal)]
    assert len(kinds) == len(set(kinds))


def test_every_dynamic_item_of_a_cog_is_a_krokarm_id_through_the_funnel() -> None:
    items = _classes(discord.ui.DynamicItem)
    assert len(items) >= 10
    for item in items:
        template = item.__discord_ui_compiled_template__.pattern
        assert template == "$^" or template.startswith("krokarm:"), item.__qualname__
        assert issubclass(item, ui.Funnelled), f"{item.__qualname__} bypasses the funnel"


def test_owned_ids_differ_per_instance_user_and_network() -> None:
    ids = {ui.owned_custom_id("profile", u, g) for u in (1, 2) for g in (10, 20) for _ in range(3)}
    assert len(ids) == 12 and all(len(i) <= 100 for i in ids)
    biggest = ui.owned_custom_id("onbsearch", 2**64 - 1, 2**64 - 1)
    assert len(biggest) <= 100
