"""Demo data of the meetings feature: a monthly network meeting with answers.

Maria (the admin) runs `/meeting schedule` and confirms it, as she would in Discord: the first
Thursday of the month at 13.00 for two hours in the network's voice channel, reminders 7 days,
1 day and 1 hour before. A few members answer on the announcement's buttons. In the shell,
`:clock +7d` (or `:clock` to the day before the meeting) shows the reminders arrive in the
meetings channel and by DM to those who are coming.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.shell.demo import DemoWorld

if TYPE_CHECKING:
    from bot.bot import Krokarm
    from sandbox import Sandbox

ANSWERS = (("Jag kommer", 3), ("Kanske", 1), ("Kommer inte", 1))


async def seed_meetings(bot: Krokarm, sandbox: Sandbox, world: DemoWorld) -> None:
    guild = world.guild
    maria = world.users["maria"]
    draft = await sandbox.invoke(
        "meeting schedule",
        {
            "title": "Nätverksträff",
            "rule": "first",
            "weekday": 3,
            "start_time": "kl 13",
            "duration": "2 h",
            "nudge": True,
        },
        user=maria,
        guild=guild,
        locale="sv-SE",
    )
    saved = await sandbox.click(draft, "Bekräfta", user=maria, locale="sv-SE")
    await sandbox.wait_for_followup(saved, timeout=15)
    channel_id = await bot.db.fetchval(
        "SELECT channel_id FROM meeting_posts WHERE guild_id = ? AND message_id IS NOT NULL",
        (guild.id,),
    )
    if channel_id is None:
        return
    announcement = sandbox.channel_messages(sandbox.world.channels[channel_id])[-1]
    others = [u for handle, u in world.users.items() if handle != "maria"]
    answered = 0
    for label, how_many in ANSWERS:
        for user in others[answered : answered + how_many]:
            answer = await sandbox.click(announcement, label, user=user, locale="sv-SE")
            await sandbox.wait_for_followup(answer)
        answered += how_many
