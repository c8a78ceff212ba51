"""Runtime configuration, read once from the environment (and ``.env`` when present).

One validated object passed down, so a missing or malformed setting is a
one-line error naming the variable at start-up, not a surprise mid-request.
Secrets are ``SecretStr``: they never print in a repr, a log or a message.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite:///linkgap.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"


class Settings(BaseSettings):
    """Every environment variable of DESIGN section 8."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    linkgap_provider: str = Field("demo", alias="LINKGAP_PROVIDER")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(None, alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(None, alias="SLACK_CLIENT_SECRET")
    slack_api_url: str = Field(DEFAULT_SLACK_API_URL, alias="SLACK_API_URL")
    #: Fernet key(s) for Slack tokens at rest (OAuth mode); during a rotation "new,old".
    linkgap_encryption_key: SecretStr | None = Field(None, alias="LINKGAP_ENCRYPTION_KEY")
    dataforseo_login: str | None = Field(None, alias="DATAFORSEO_LOGIN")
    dataforseo_password: SecretStr | None = Field(None, alias="DATAFORSEO_PASSWORD")
    ahrefs_api_key: SecretStr | None = Field(None, alias="AHREFS_API_KEY")
    semrush_api_key: SecretStr | None = Field(None, alias="SEMRUSH_API_KEY")
    linkgap_admins: str = Field("", alias="LINKGAP_ADMINS")
    port: int = Field(3000, alias="PORT", ge=1, le=65535)
    #: How long a job worker's claim lasts without a heartbeat: a job whose worker died is
    #: taken over this long after its last heartbeat (the heartbeat renews it 3 times as often).
    linkgap_job_lease_seconds: int = Field(60, alias="LINKGAP_JOB_LEASE_SECONDS", ge=2, le=3600)
    #: Pages read at most by the crawl of your own site (internal support); 0 turns it off.
    linkgap_crawl_max_pages: int = Field(500, alias="LINKGAP_CRAWL_MAX_PAGES", ge=0, le=10_000)

    @field_validator("database_url")
    @classmethod
    def _database_url_has_a_scheme(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError(
                "expected a URL such as sqlite:///linkgap.db or postgresql+psycopg://…"
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("linkgap_encryption_key")
    @classmethod
    def _encryption_keys_are_fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        from cryptography.fernet import Fernet

        keys = encryption_keys(value)
        if not keys:
            raise ValueError("expected a Fernet key (see docs/slack-setup.md to make one)")
        for key in keys:
            try:
                Fernet(key)
            except ValueError:  # never echo the key: it is a secret
                raise ValueError(
                    "expected Fernet keys (32 url-safe base64-encoded bytes), comma-separated"
                ) from None
        return value

    def provider_keys(self) -> dict[str, str]:
        """The live providers' credentials under their variable names, for the registry.

        Read here once (environment or ``.env``) and passed down, so a key set
        only in ``.env`` reaches the provider exactly as one in the environment.
        """
        values = {
            "DATAFORSEO_LOGIN": self.dataforseo_login,
            "DATAFORSEO_PASSWORD": self.dataforseo_password,
            "AHREFS_API_KEY": self.ahrefs_api_key,
            "SEMRUSH_API_KEY": self.semrush_api_key,
        }
        return {
            name: value.get_secret_value() if isinstance(value, SecretStr) else value
            for name, value in values.items()
            if value
        }

    @property
    def oauth_enabled(self) -> bool:
        """Multi-workspace mode: installs through OAuth, one bot token per workspace."""
        return self.slack_client_id is not None or self.slack_client_secret is not None

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(item.strip() for item in self.linkgap_admins.split(",") if item.strip())


def encryption_keys(value: SecretStr) -> list[str]:
    """The keys in ``LINKGAP_ENCRYPTION_KEY``, newest (the one that encrypts) first."""
    return [key.strip() for key in value.get_secret_value().split(",") if key.strip()]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate the settings; raise ``ConfigError`` naming the first bad variable."""
    try:
        if environ is None:
            return Settings()
        return Settings.model_validate(dict(environ))  # ignores .env: tests pass exact values
    except ValidationError as error:
        first = error.errors()[0]
        variable = str(first["loc"][0]) if first["loc"] else "configuration"
        raise ConfigError(f"{variable.upper()} is not valid: {first['msg']}.") from None
