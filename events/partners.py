"""Other systems that may send commands: who they are on Google Cloud, and what they call
themselves on the bus.

Pub/Sub IAM decides who may publish to a command topic (`league cloud up` grants each partner
`roles/pubsub.publisher` on the topics of the services it may command). Pub/Sub does not tell a
subscriber who published a message, so a worker checks what it can: a command's `ce-source` must
be one of ours (under the stack's source, `LEAGUE_SOURCE`) or one a partner allowed on this
topic was given. Anything else is refused and kept as a dead letter for the operators.
"""

from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from events.commands import SERVICES


class Partner(BaseModel):
    """One other system, keyed in the settings by its IAM member (`serviceAccount:...`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The `ce-source` values its commands carry.
    sources: list[str] = Field(min_length=1)
    # The services whose command topics it may publish to.
    services: list[str] = Field(default_factory=lambda: list(SERVICES))


SourceCheck = Callable[[str], bool]


def source_check(own_source: str, partners: Mapping[str, Partner], service: str) -> SourceCheck:
    """Whether a `ce-source` may send commands to `service`: ours, or an allowed partner's."""
    ours = own_source.rstrip("/") + "/"
    theirs = {
        s for partner in partners.values() if service in partner.services for s in partner.sources
    }
    return lambda source: source.startswith(ours) or source in theirs
