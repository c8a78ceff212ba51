"""The stand-in workspace's people, channels and user groups.

Configurable so a test can say "Ana is an admin in Europe/Lisbon" and check the
bot's answer, and so the shell can offer a small believable team.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class StandInUser:
    """A workspace member as ``users.info`` describes it."""

    id: str
    name: str
    real_name: str = ""
    tz: str = "UTC"
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False

    def as_api(self, team_id: str) -> JsonDict:
        offset = datetime.now(ZoneInfo(self.tz)).utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else 0
        real_name = self.real_name or self.name
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "real_name": real_name,
            "tz": self.tz,
            "tz_label": self.tz,
            "tz_offset": seconds,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "profile": {
                "real_name": real_name,
                "display_name": self.name,
                "real_name_normalized": real_name,
                "display_name_normalized": self.name,
                "team": team_id,
            },
        }


@dataclass(frozen=True)
class StandInChannel:
    """A conversation as ``conversations.info`` describes it."""

    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    user: str | None = None  # the other member of a DM
    created: int = 1_700_000_000

    def as_api(self) -> JsonDict:
        channel: JsonDict = {
            "id": self.id,
            "created": self.created,
            "is_archived": False,
            "is_general": self.name == "general",
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
        }
        if self.is_im:
            channel.update({"is_im": True, "user": self.user, "is_open": True})
            return channel
        channel.update(
            {
                "name": self.name,
                "name_normalized": self.name,
                "is_channel": not self.is_private,
                "is_group": self.is_private,
                "is_im": False,
                "is_mpim": False,
                "is_private": self.is_private,
                "is_member": True,
                "topic": {"value": "", "creator": "", "last_set": 0},
                "purpose": {"value": "", "creator": "", "last_set": 0},
            }
        )
        return channel


DEFAULT_USERS = (
    StandInUser("U0STANDIN1", "ana", "Ana Admin", tz="Europe/London", is_admin=True),
    StandInUser("U0STANDIN2", "ben", "Ben Builder", tz="America/New_York"),
    StandInUser("U0STANDIN3", "chloe", "Chloe Content", tz="Asia/Tokyo"),
)
DEFAULT_CHANNELS = (
    StandInChannel("C0GENERAL", "general"),
    StandInChannel("C0SEO", "seo"),
)


@dataclass
class Directory:
    """Users, channels and user groups, guarded by one lock."""

    users: dict[str, StandInUser] = field(default_factory=dict)
    channels: dict[str, StandInChannel] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def add_user(self, user: StandInUser) -> None:
        with self._lock:
            self.users[user.id] = user

    def add_channel(self, channel: StandInChannel) -> None:
        with self._lock:
            self.channels[channel.id] = channel

    def set_usergroup(self, usergroup_id: str, members: list[str]) -> None:
        with self._lock:
            self.usergroups[usergroup_id] = list(members)

    def user(self, user_id: str) -> StandInUser | None:
        with self._lock:
            return self.users.get(user_id)

    def channel(self, channel_id: str) -> StandInChannel | None:
        with self._lock:
            return self.channels.get(channel_id)

    def usergroup(self, usergroup_id: str) -> list[str] | None:
        with self._lock:
            members = self.usergroups.get(usergroup_id)
            return None if members is None else list(members)

    def resolve_conversation(self, channel: str) -> StandInChannel | None:
        """A channel by ID, a DM opened on the fly when given a user ID (as Slack does)."""
        with self._lock:
            found = self.channels.get(channel)
            if found is not None:
                return found
            user = self.users.get(channel)
            if user is None:
                return None
            dm = StandInChannel(f"D{user.id[1:]}", user.name, is_im=True, user=user.id)
            self.channels[dm.id] = dm
            return dm
