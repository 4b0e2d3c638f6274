"""One typed settings object, read from the environment (and `.env` for local use)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv.parser import parse_stream
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.access.vault import VaultKeyError, parse_keys

ENV_FILE = ".env"
DEFAULT_DATABASE_URL = "sqlite:///" + str(Path("data") / "socialbot.db")
SLACK_API_URL = "https://slack.com/api/"

# What to tell an operator for each variable: where to find it or how to write it.
HINTS: dict[str, str] = {
    "SLACK_BOT_TOKEN": "copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions into .env",
    "SLACK_SIGNING_SECRET": "copy the Signing Secret from Basic Information into .env",
    "SLACK_APP_TOKEN": "create an app-level token (xapp-…) with connections:write, or unset it "
    "to use HTTP mode",
    "SLACK_API_URL": "set it to the Web API base URL, e.g. https://slack.com/api/",
    "DATABASE_URL": "use e.g. sqlite:///data/socialbot.db or postgresql+psycopg://user@host/db",
    "PORT": "set it to a port number between 1 and 65535",
    "LOG_FORMAT": "set it to 'text' or 'json'",
    "LOG_LEVEL": "set it to DEBUG, INFO, WARNING or ERROR",
    "VAULT_KEYS": "set it to Fernet keys, newest first, comma-separated; "
    "`python -m bot vault new-key` prints one",
}


# The values .env.example ships with: a copy that was never filled in must not reach Slack.
PLACEHOLDERS: dict[str, str] = {
    "SLACK_BOT_TOKEN": "xoxb-your-bot-token",
    "SLACK_SIGNING_SECRET": "your-signing-secret",
    "SLACK_APP_TOKEN": "xapp-your-app-level-token",
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line an operator can act on."""


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore", case_sensitive=True
    )

    slack_bot_token: SecretStr | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default=SLACK_API_URL, alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    port: int = Field(default=3000, ge=1, le=65535, alias="PORT")
    log_format: LogFormat = Field(default=LogFormat.TEXT, alias="LOG_FORMAT")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    # Credential access (/access) is off without it; see bot/access/vault.py.
    vault_keys: SecretStr | None = Field(default=None, alias="VAULT_KEYS")

    @field_validator(
        "slack_bot_token", "slack_signing_secret", "slack_app_token", "vault_keys", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token")
    @classmethod
    def _not_a_placeholder(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        name = info.field_name.upper() if info.field_name else ""
        if value is None:
            return value
        secret = value.get_secret_value()
        if secret == PLACEHOLDERS.get(name):
            raise ValueError("still the placeholder from .env.example")
        if not secret.isascii() or not secret.isprintable() or " " in secret:
            # e.g. an ellipsis or a space copied along with it: Slack's tokens are plain ASCII
            raise ValueError("has a character no Slack token or secret has (a space, …)")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp-")
        return value

    @field_validator("vault_keys")
    @classmethod
    def _vault_keys_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                parse_keys(value.get_secret_value())
            except VaultKeyError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 (raises ValueError for a port that is no number)
        except ValueError:
            raise ValueError("has a port that is not a number from 0 to 65535") from None
        if parts.scheme not in ("https", "http") or not parts.hostname or " " in value:
            raise ValueError("must be an http(s) URL with a host, like https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        if value.startswith("postgres://"):  # the form Heroku-style platforms hand out
            value = "postgresql://" + value.removeprefix("postgres://")
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL") from None
        if url.get_backend_name() not in {"sqlite", "postgresql"}:
            raise ValueError("must be a sqlite:// or postgresql:// URL")
        if url.drivername not in {"sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"}:
            raise ValueError(
                f"asks for the driver {url.get_driver_name()}, which socialbot does not ship:"
                f" write {url.get_backend_name()}:// (socialbot uses psycopg 3 for PostgreSQL)"
            )
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            raise ValueError("names no SQLite file (an in-memory database forgets everything)")
        if url.drivername == "postgresql":  # psycopg 3 is the driver we ship
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)

    @field_validator("log_level")
    @classmethod
    def _log_level_shape(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("is not a log level")
        return level

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def _require(self, name: str) -> None:
        if getattr(self, name.lower()) is None:
            raise ConfigError(f"{name} is not set: {HINTS[name]}.")

    @property
    def bot_token(self) -> str:
        """What we call Slack with: all `worker` and `jobs run` need."""
        self._require("SLACK_BOT_TOKEN")
        assert self.slack_bot_token is not None
        return self.slack_bot_token.get_secret_value()

    @property
    def signing_secret(self) -> str:
        """What proves a request came from Slack: `serve` needs it too."""
        self._require("SLACK_SIGNING_SECRET")
        assert self.slack_signing_secret is not None
        return self.slack_signing_secret.get_secret_value()


def load_settings(**overrides: Any) -> Settings:
    """Read settings; a bad one becomes a ConfigError naming the variable, never its value."""
    try:
        _check_env_file(Path(ENV_FILE))
        return Settings(**overrides)
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f".env is not UTF-8 text (byte {exc.start}): save it as UTF-8 and try again."
        ) from None
    except ValidationError as exc:
        errors = exc.errors()
        names = [str(e["loc"][0]) if e["loc"] else "configuration" for e in errors]
        name = names[0]
        reason = errors[0]["msg"].removeprefix("Value error, ")
        reason = reason[:1].lower() + reason[1:]
        hint = HINTS.get(name, "check its value")
        others = list(dict.fromkeys(n for n in names[1:] if n != name))
        also = f" ({', '.join(others)} also invalid)" if others else ""
        raise ConfigError(f"{name} is invalid ({reason}): {hint}{also}.") from None


def _check_env_file(path: Path) -> None:
    """python-dotenv skips a line it cannot parse with a warning of its own and reads on, so a
    token with an unclosed quote would silently go missing: name the line instead (never its
    text, which may hold a secret)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as stream:
        broken = [b.original.line for b in parse_stream(stream) if b.error]
    if broken:
        lines = ("line " if len(broken) == 1 else "lines ") + ", ".join(map(str, broken))
        raise ConfigError(
            f".env {lines} could not be read (an unclosed quote, or a line that is not "
            "NAME=value): fix it and try again."
        )
