"""The permissions Krokarm needs on a server — the invite URL asks for exactly these."""

from __future__ import annotations

import discord

REQUIRED = discord.Permissions(
    view_channel=True,  # see the channels it posts in
    send_messages=True,  # greetings, meeting announcements, reminders
    send_messages_in_threads=True,  # discussion in practice and question forum posts
    create_public_threads=True,  # a forum post per practice
    manage_threads=True,  # tags on forum posts, closing answered questions
    embed_links=True,  # replies are embeds
    attach_files=True,  # exports, calendar files, /privacy mydata
    read_message_history=True,  # refresh its own messages with buttons
    manage_channels=True,  # /network setup builds channels and forums
    manage_roles=True,  # the network's admin and member roles
    manage_events=True,  # scheduled events for network meetings
    create_events=True,
)


def invite_url(application_id: int) -> str:
    return discord.utils.oauth_url(
        application_id, permissions=REQUIRED, scopes=("bot", "applications.commands")
    )
