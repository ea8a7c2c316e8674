"""Settings read from the environment (prefix ``FAIRLANE_``) by the composition root."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///fairlane.db"


class Settings(BaseSettings):
    """Everything an operator can set without touching the policy file."""

    model_config = SettingsConfigDict(env_prefix="FAIRLANE_", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: sqlite:///path.db (default) or postgresql+psycopg://...",
    )
    policy: Path | None = Field(
        default=None, description="Path of the policy YAML; the shipped default when unset."
    )
    crm_lookup: str | None = Field(
        default=None,
        description="CRM lookup hook: 'package.module:function', 'entrypoint:NAME' (group "
        "fairlane.crm_lookup) or an http(s) URL called as GET ?email=&domain=&client_id=.",
    )
    crm_timeout_seconds: float = Field(default=0.5, gt=0, le=30)
    max_body_bytes: int = Field(
        default=1_048_576, gt=0, description="Largest accepted request body."
    )
