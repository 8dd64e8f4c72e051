"""Process settings, read from the environment once, in the composition root of each process."""

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from events.partners import Partner


class Settings(BaseSettings):
    """Everything a League App process can be told from outside; the defaults run locally."""

    model_config = SettingsConfigDict(env_prefix="LEAGUE_", extra="ignore")

    project_id: str = Field(
        default="league-local",
        validation_alias=AliasChoices("LEAGUE_PROJECT_ID", "GOOGLE_CLOUD_PROJECT"),
    )
    # Prefixes every topic and subscription name, so that several stacks (or test runs) can share
    # one Pub/Sub project without seeing each other's messages.
    topic_prefix: str = "league"
    source: str = "//league-app"
    # Where this process's HTTP server listens: the API for the frontend, health and metrics for
    # a worker. The local stack gives each process its own (see services/devstack).
    http_address: str = "127.0.0.1:8080"
    request_timeout_seconds: float = 5.0
    # For this long after a write through a frontend, its reads ask the stats workers to read the
    # clubs it changed afresh (read-your-writes; services/frontend/recent_writes.py).
    read_your_writes_seconds: float = 10.0
    # The stats worker reads a season again in full at least this often, events or not.
    stats_model_max_age_seconds: float = 300.0
    # Replies subscriptions of requesters that died without cleaning up expire after this long idle.
    reply_subscription_ttl_days: int = 1
    worker_max_messages: int = 32
    # How long a worker waits for its commands in flight after SIGTERM before it exits anyway;
    # below the pod's terminationGracePeriodSeconds (k8s/base), which then kills it.
    shutdown_grace_seconds: float = 25.0
    # The season commands mean when they name none; unset, the greatest season id is current.
    season: str | None = None
    # Workers publish the outbox after each commit, and sweep it at start and this often.
    outbox_sweep_seconds: float = 60.0
    # For this long after its commit an event is its committer's to publish; after it, any
    # replica's sweep may claim it. Longer than a publish may take (30 s), or events go out twice.
    outbox_lease_seconds: float = 60.0
    log_level: str = "INFO"
    # Where spans go: none, console (stdout), otlp (OTEL_EXPORTER_OTLP_ENDPOINT), gcp (Cloud Trace).
    trace_exporter: Literal["none", "console", "otlp", "gcp"] = "none"
    # The Pub/Sub emulator's address, which the client library reads as well; set only locally.
    pubsub_emulator_host: str | None = Field(default=None, validation_alias="PUBSUB_EMULATOR_HOST")
    # Season files are uploaded to this bucket, under `seasons/<season-id>/`.
    bucket: str = "league-seasons"
    # Other systems allowed to send commands (events/partners.py), by IAM member, as JSON:
    # {"serviceAccount:shop@p.iam.gserviceaccount.com": {"sources": ["//shop.example"]}}.
    partners: dict[str, Partner] = Field(default_factory=dict)
    # The IAM member the frontend publishes commands as (on GKE, its Workload Identity
    # principal). Set, `league topics ensure` makes it and the partners the only publishers of
    # the command topics (events/publishing_rights.py); unset, it leaves their rights alone.
    frontend_member: str | None = None


@dataclass(frozen=True)
class Address:
    """A `host:port` setting (such as `http_address`), parsed once where a server binds it."""

    host: str
    port: int

    @classmethod
    def parse(cls, value: str) -> "Address":
        """Accepts `host:port` or a URL such as `http://host:port`."""
        parts = urlsplit(value if "//" in value else f"//{value}")
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"expected host:port, got {value!r}")
        return cls(parts.hostname, parts.port)

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self}"
