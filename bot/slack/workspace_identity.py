"""Which linkgap workspace a Slack request belongs to, whatever kind of request it is.

A workspace is keyed ``(team_id, enterprise_id)``. Slack names the same
install differently by request kind: a slash command carries ``team_id`` and
``enterprise_id``; an event in an org-wide (Enterprise Grid) install carries
``authorizations[0]`` with ``enterprise_id``, ``team_id: null`` and
``is_enterprise_install: true``; an interactivity payload from it may have
``team: null`` and the flag at the top. An org-wide install is one
installation for every team of the org, so all of its requests map to the
org's key ``(E…, None)``; a team install (inside a Grid or not) maps to
``(T…, E… or None)``. Empty strings count as absent.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import BoltContext

#: The key of a workspace row: (team id, or the org's id for an org-wide install; org id).
WorkspaceKey = tuple[str, str | None]


@dataclass(frozen=True)
class SlackIdentity:
    """The ids a request carries, as Bolt extracted them (``None`` for absent or empty)."""

    team_id: str | None
    enterprise_id: str | None
    enterprise_install: bool

    @classmethod
    def of(cls, context: BoltContext) -> SlackIdentity:
        return cls(
            team_id=context.team_id or None,
            enterprise_id=context.enterprise_id or None,
            enterprise_install=bool(context.is_enterprise_install),
        )

    @property
    def org_key(self) -> WorkspaceKey | None:
        """The org-wide workspace this request may belong to (when it names an org)."""
        return None if self.enterprise_id is None else (self.enterprise_id, None)

    @property
    def key(self) -> WorkspaceKey | None:
        """The workspace named by the request alone; ``None`` when it names none."""
        if self.enterprise_install and self.enterprise_id is not None:
            return (self.enterprise_id, None)
        if self.team_id is not None:
            return (self.team_id, self.enterprise_id)
        return self.org_key

    @property
    def may_be_org_wide(self) -> bool:
        """A team inside an org, without the org-wide flag: an org-wide workspace may own it.

        Slack leaves ``is_enterprise_install`` out of some payloads of org-wide
        installs, so such a request goes to the org's workspace when there is one.
        """
        return (
            self.team_id is not None
            and self.enterprise_id is not None
            and not (self.enterprise_install)
        )
