"""Hostile messages for a command topic, as a raw Pub/Sub client would send them, each with what
the worker must do about it: answer with an error code, or keep it as a dead letter once."""

import json
import uuid
from dataclasses import dataclass

from events.commands import ListSeasons, Ping, TransferPlayer, UpdatePlayer
from events.envelope import CORRELATION_ID, REPLY_TO, new_event, to_pubsub
from events.messages import Command
from events.topology import Topology

# Marks each hostile message, whatever else it lacks, so its dead letter can be found.
CASE = "hostile-case"
# A valid command type of each service, for the messages whose type must be known.
COMMAND_OF = {"stats": ListSeasons, "playerops": UpdatePlayer, "transfer": TransferPlayer}


@dataclass(frozen=True)
class Hostile:
    case: str
    data: bytes
    attributes: dict[str, str]
    answer: str  # "reply" or "dead letter"
    code: str  # the error code the reply or the dead letter carries

    @property
    def key(self) -> str:
        return self.attributes[CASE]


def attributes(command: type[Command], service: str, case: str, **extensions: str) -> dict:
    event = new_event(command.event_type, "//hostile", Ping(), extensions=extensions)
    return {**to_pubsub(event).attributes, CASE: f"{service}/{case}"}


def hostile_messages(topology: Topology, service: str, kinds: set[str] | None = None) -> list:
    """Every kind of hostile message for `service`'s topic (or those named in `kinds`)."""
    command = COMMAND_OF[service]

    def answered(case: str, **overrides: str) -> dict[str, str]:
        reply = {REPLY_TO: topology.replies_topic, CORRELATION_ID: f"hostile/{uuid.uuid4()}"}
        return {**attributes(command, service, case, **reply), **overrides}

    near_10_mb = json.dumps({"name": "x" * 9_500_000}).encode()
    cases = [
        Hostile("not JSON", b"\xff{not json", answered("not JSON"), "reply", "bad_message"),
        Hostile("wrong shape", b"[1, 2, 3]", answered("wrong shape"), "reply", "invalid"),
        Hostile("nested 50,000 deep", b"[" * 50_000, answered("nested"), "reply", "bad_message"),
        Hostile(
            "nested 200,000 deep", b"[" * 200_000, answered("nested 200k"), "reply", "too_large"
        ),
        Hostile(
            "unknown type",
            b"{}",
            answered("unknown type", **{"ce-type": f"org.leagueapp.{service}.make_coffee.v1"}),
            "reply",
            "bad_message",
        ),
        Hostile(
            "missing ce- attributes",
            b"{}",
            {CASE: f"{service}/missing ce- attributes"},
            "dead letter",
            "bad_message",
        ),
        Hostile("near 10 MB", near_10_mb, answered("near 10 MB"), "reply", "too_large"),
        Hostile(
            "near 10 MB, no reply target",
            near_10_mb,
            attributes(command, service, "near 10 MB, no reply target"),
            "dead letter",
            "too_large",
        ),
        Hostile(
            "a reply target that does not exist",
            b"{}",
            attributes(Ping, service, "no such reply target", **{REPLY_TO: "league-nowhere"}),
            "dead letter",
            "undeliverable_reply",
        ),
        Hostile(
            "a reply target that is not a topic id",
            b"{}",
            attributes(Ping, service, "not a topic id", **{REPLY_TO: "../../etc"}),
            "dead letter",
            "bad_message",
        ),
    ]
    return [case for case in cases if kinds is None or case.case in kinds]
