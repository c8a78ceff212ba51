"""Slack installations at rest: slack_sdk's installation and OAuth state stores, on our tables.

Both implement slack_sdk's store interfaces with the semantics of its
``SQLAlchemyInstallationStore`` / ``SQLAlchemyOAuthStateStore`` and on the very
same tables (``bot.store.models``, created by Alembic). They are not those
classes: their modules import ``sqlalchemy.ext.asyncio``, which under
SQLAlchemy 2.1 needs ``greenlet``, a dependency linkgap does not otherwise have.

Every secret column is read and written through ``EncryptedSecret``: tokens are
Fernet-encrypted on the way into the database and decrypted on the way out,
below the store's queries, so no code path can write a token in clear.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore as SlackOAuthStateStore
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    MetaData,
    RowMapping,
    Table,
    Text,
    and_,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.config import Settings, encryption_keys
from bot.errors import ConfigError
from bot.store.models import (
    SLACK_SECRET_COLUMNS,
    Base,
    SlackBot,
    SlackInstallation,
    SlackOAuthState,
    Workspace,
)

log = logging.getLogger(__name__)

ENCRYPTION_KEY_VARIABLE = "LINKGAP_ENCRYPTION_KEY"
#: How long an installer has between opening /slack/install and coming back from Slack.
STATE_EXPIRATION_SECONDS = 600


class TokenCipher:
    """Fernet over one or more keys: the first encrypts, any of them decrypts (key rotation)."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ConfigError(f"{ENCRYPTION_KEY_VARIABLE} is not set.")
        try:
            self._fernet = MultiFernet([Fernet(key) for key in keys])
        except ValueError:
            raise ConfigError(f"{ENCRYPTION_KEY_VARIABLE} is not a valid Fernet key.") from None

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCipher:
        if settings.linkgap_encryption_key is None:
            raise ConfigError(
                f"{ENCRYPTION_KEY_VARIABLE} is not set: installing in several workspaces stores "
                "their tokens encrypted; see docs/slack-setup.md to make a key."
            )
        return cls(encryption_keys(settings.linkgap_encryption_key))

    def encrypt(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode("ascii")

    def decrypt(self, stored: str) -> str:
        try:
            return self._fernet.decrypt(stored.encode("ascii")).decode()
        except (InvalidToken, UnicodeError):
            # Never say more: the stored value and the key are both secrets.
            raise ConfigError(
                f"{ENCRYPTION_KEY_VARIABLE} cannot decrypt the stored Slack tokens: "
                "was the key changed without keeping the old one after it?"
            ) from None


class EncryptedSecret(TypeDecorator[str]):
    """A Text column whose values are encrypted with ``cipher`` in the database."""

    impl = Text
    cache_ok = True  # the cipher is hashable by identity; one store, one cipher

    def __init__(self, cipher: TokenCipher) -> None:
        super().__init__()
        self.cipher = cipher

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.cipher.encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.cipher.decrypt(value)


def _table_of(model: type[Base]) -> Table:
    """The model's ``Table`` (SQLAlchemy types ``__table__`` as any ``FromClause``)."""
    return Base.metadata.tables[model.__tablename__]


def _encrypting_copy(table: Table, metadata: MetaData, cipher: TokenCipher) -> Table:
    """``table`` on ``metadata``, its secret columns encrypting (the same schema in SQL)."""
    copy = table.to_metadata(metadata)
    for name in SLACK_SECRET_COLUMNS:
        if name in copy.c:
            copy.c[name].type = EncryptedSecret(cipher)
    return copy


def _naive_utc(value: datetime | None) -> datetime | None:
    """As slack_sdk's SQL stores keep times: naive UTC (``TIMESTAMP WITHOUT TIME ZONE``)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _aware(value: datetime | None) -> datetime | None:
    # slack_sdk turns a naive datetime into a timestamp as *local* time; ours are UTC.
    return None if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


def _naive_utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class EncryptedInstallationStore(InstallationStore):
    """slack_sdk's installation store on ``slack_installations``/``slack_bots``, tokens encrypted.

    Rows are keyed by ``client_id`` too, as slack_sdk's SQL store does, so two
    Slack apps could share the database. ``find_bot`` answers the latest bot
    token of a workspace; ``delete_bot`` forgets it everywhere it is kept.
    """

    def __init__(self, client_id: str, engine: Engine, cipher: TokenCipher) -> None:
        self.client_id = client_id
        self.engine = engine
        self.metadata = MetaData()
        self.installations = _encrypting_copy(_table_of(SlackInstallation), self.metadata, cipher)
        self.bots = _encrypting_copy(_table_of(SlackBot), self.metadata, cipher)

    @property
    def logger(self) -> logging.Logger:
        return log

    def _values(self, table: Table, entity: Installation | Bot) -> dict[str, Any]:
        values = {k: v for k, v in entity.to_dict().items() if k in table.c and k != "id"}
        values["client_id"] = self.client_id
        for name in ("installed_at", "bot_token_expires_at", "user_token_expires_at"):
            if name in values:
                values[name] = _naive_utc(values[name])
        return values

    def _upsert(self, connection: Connection, table: Table, values: Mapping[str, Any]) -> None:
        """Insert, or update the row of the same install (same team, same ``installed_at``)."""
        c = table.c
        same = and_(
            c.client_id == self.client_id,
            c.enterprise_id == values.get("enterprise_id"),
            c.team_id == values.get("team_id"),
            c.installed_at == values["installed_at"],
        )
        if "user_id" in values:
            same = and_(same, c.user_id == values["user_id"])
        found = connection.scalar(select(c.id).where(same).limit(1))
        if found is None:
            connection.execute(insert(table).values(**values))
        else:
            connection.execute(update(table).where(c.id == found).values(**values))

    def save(self, installation: Installation) -> None:
        """The installation and its bot token, in one transaction; the workspace enabled again.

        A workspace disabled by an uninstall or a revoked token resumes here
        (its campaigns' digests and refreshes with it). An org-wide install is
        the workspace keyed by the org's id (``bot.slack.workspace_identity``).
        """
        with self.engine.begin() as connection:
            installations, bots = self.installations, self.bots
            self._upsert(connection, installations, self._values(installations, installation))
            self._upsert(connection, bots, self._values(bots, installation.to_bot()))
            team_id: str | None = installation.team_id
            enterprise_id = installation.enterprise_id or None
            if installation.is_enterprise_install and enterprise_id:
                team_id, enterprise_id = enterprise_id, None
            connection.execute(
                update(Workspace)
                .where(
                    Workspace.team_id == team_id,
                    Workspace.enterprise_id.is_(None)
                    if enterprise_id is None
                    else Workspace.enterprise_id == enterprise_id,
                )
                .values(disabled_at=None, disabled_reason=None)
            )

    def save_bot(self, bot: Bot) -> None:
        with self.engine.begin() as connection:
            self._upsert(connection, self.bots, self._values(self.bots, bot))

    def _workspace(
        self, table: Table, enterprise_id: str | None, team_id: str | None
    ) -> ColumnElement[bool]:
        c = table.c
        return and_(
            c.client_id == self.client_id, c.enterprise_id == enterprise_id, c.team_id == team_id
        )

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        if is_enterprise_install:
            team_id = None  # an org-wide install is the org's, not one team's
        c = self.bots.c
        query = (
            select(self.bots)
            .where(self._workspace(self.bots, enterprise_id, team_id), c.bot_token.is_not(None))
            .order_by(c.installed_at.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else _bot(row)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        if is_enterprise_install:
            team_id = None
        c = self.installations.c
        where = self._workspace(self.installations, enterprise_id, team_id)
        if user_id is not None:
            where = and_(where, c.user_id == user_id)
        query = select(self.installations).where(where).order_by(c.installed_at.desc()).limit(1)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        if row is None:
            return None
        installation = _installation(row)
        if user_id is not None or installation.bot_token is None:
            # The workspace's latest bot token wins, as in slack_sdk (bolt-python#664).
            bot = self.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
            if bot is not None and bot.bot_token != installation.bot_token:
                installation.bot_id = bot.bot_id
                installation.bot_user_id = bot.bot_user_id
                installation.bot_token = bot.bot_token
                installation.bot_scopes = bot.bot_scopes
                installation.bot_refresh_token = bot.bot_refresh_token
                installation.bot_token_expires_at = bot.bot_token_expires_at
        return installation

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget a workspace's bot token everywhere it is kept, in one transaction.

        slack_sdk's SQL store deletes the ``slack_bots`` rows only, leaving the
        revoked token in the installation rows; a revoked secret has no
        business at rest.
        """
        with self.engine.begin() as connection:
            connection.execute(
                delete(self.bots).where(self._workspace(self.bots, enterprise_id, team_id))
            )
            connection.execute(
                update(self.installations)
                .where(self._workspace(self.installations, enterprise_id, team_id))
                .values(bot_token=None, bot_refresh_token=None, bot_token_expires_at=None)
            )

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        where = self._workspace(self.installations, enterprise_id, team_id)
        if user_id is not None:
            where = and_(where, self.installations.c.user_id == user_id)
        with self.engine.begin() as connection:
            connection.execute(delete(self.installations).where(where))


def _installation(row: RowMapping) -> Installation:
    return Installation(
        app_id=row["app_id"],
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
        enterprise_url=row["enterprise_url"],
        team_id=row["team_id"],
        team_name=row["team_name"],
        bot_token=row["bot_token"],
        bot_id=row["bot_id"],
        bot_user_id=row["bot_user_id"],
        bot_scopes=row["bot_scopes"],
        bot_refresh_token=row["bot_refresh_token"],
        bot_token_expires_at=_aware(row["bot_token_expires_at"]),
        user_id=row["user_id"],
        user_token=row["user_token"],
        user_scopes=row["user_scopes"],
        user_refresh_token=row["user_refresh_token"],
        user_token_expires_at=_aware(row["user_token_expires_at"]),
        incoming_webhook_url=row["incoming_webhook_url"],
        incoming_webhook_channel=row["incoming_webhook_channel"],
        incoming_webhook_channel_id=row["incoming_webhook_channel_id"],
        incoming_webhook_configuration_url=row["incoming_webhook_configuration_url"],
        is_enterprise_install=row["is_enterprise_install"],
        token_type=row["token_type"],
        installed_at=row["installed_at"].replace(tzinfo=UTC),
    )


def _bot(row: RowMapping) -> Bot:
    return Bot(
        app_id=row["app_id"],
        enterprise_id=row["enterprise_id"],
        enterprise_name=row["enterprise_name"],
        team_id=row["team_id"],
        team_name=row["team_name"],
        bot_token=row["bot_token"],
        bot_id=row["bot_id"],
        bot_user_id=row["bot_user_id"],
        bot_scopes=row["bot_scopes"],
        bot_refresh_token=row["bot_refresh_token"],
        bot_token_expires_at=_aware(row["bot_token_expires_at"]),
        is_enterprise_install=row["is_enterprise_install"],
        installed_at=row["installed_at"].replace(tzinfo=UTC),
    )


class OAuthStateStore(SlackOAuthStateStore):
    """slack_sdk's OAuth state store on ``slack_oauth_states``: random, single use, expiring.

    ``consume`` is one ``DELETE … WHERE state = ? AND expire_at > now``: of two
    callbacks racing with the same state (two web processes), exactly one sees
    its row deleted and proceeds. Issuing a state sweeps expired ones away, so
    abandoned installs do not pile up.
    """

    def __init__(self, engine: Engine, expiration_seconds: int = STATE_EXPIRATION_SECONDS) -> None:
        self.engine = engine
        self.expiration_seconds = expiration_seconds
        self.table = _table_of(SlackOAuthState)

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = str(uuid.uuid4())
        now = _naive_utc_now()
        with self.engine.begin() as connection:
            connection.execute(delete(self.table).where(self.table.c.expire_at <= now))
            connection.execute(
                insert(self.table).values(
                    state=state, expire_at=now + timedelta(seconds=self.expiration_seconds)
                )
            )
        return state

    def consume(self, state: str) -> bool:
        c = self.table.c
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(self.table).where(c.state == state, c.expire_at > _naive_utc_now())
            )
        return result.rowcount == 1
