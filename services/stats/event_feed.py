"""The domain events, as they reach one stats worker: each marks in the read model what it changed.

Every instance has a subscription of its own (all of them must hear every event), made at start
and deleted at stop; one left behind by a killed instance expires unused, as a requester's does.
"""

import logging
import uuid

from google.cloud import pubsub_v1
from google.cloud.pubsub_v1.subscriber.message import Message as PulledMessage
from pydantic import ValidationError

from events.domain_events import (
    DOMAIN_EVENTS_BY_TYPE,
    PlayerCreated,
    PlayerDeleted,
    PlayerTransferred,
    PlayerUpdated,
    SeasonFileLoaded,
)
from events.envelope import from_pubsub
from events.messages import DomainEvent
from events.own_subscription import ADMIN_RETRY, OwnSubscription
from events.pulling import Pulling
from events.replies import BadMessage
from events.topology import Topology
from events.tracing import consuming
from services.stats.read_model import ReadModel

log = logging.getLogger(__name__)


class EventFeed:
    def __init__(
        self,
        topology: Topology,
        subscriber: pubsub_v1.SubscriberClient,
        model: ReadModel,
        subscription_ttl_days: int = 1,
    ) -> None:
        self._model = model
        instance = f"stats-{uuid.uuid4().hex[:12]}"
        self.subscription = topology.subscription_path(topology.events_subscription(instance))
        self._own = OwnSubscription(
            subscriber,
            self.subscription,
            topology.topic_path(topology.events_topic),
            subscription_ttl_days,
        )
        self._pulling = Pulling(
            subscriber, self.subscription, self._on_event, prepare=self._prepare
        )

    def problem(self) -> str | None:
        return self._pulling.problem()

    def start(self) -> None:
        """Subscribes before the first read, so no change made after that read goes unheard."""
        self._pulling.start()
        log.info("listening to the domain events", extra={"subscription": self.subscription})

    def stop(self) -> None:
        self._pulling.stop(timeout=None)
        self._own.delete()

    def _prepare(self) -> None:
        """Makes the subscription, at start and again after it vanished (an emulator restarted).
        Events published while it was gone were never heard, so the model starts over."""
        self._own.create(retry=ADMIN_RETRY)
        self._model.everything_changed()

    def _on_event(self, message: PulledMessage) -> None:
        message.ack()  # an event this instance cannot read would not read better a second time
        attributes = dict(message.attributes)
        # The sender chooses the type: one we do not know must not become a span name.
        known = attributes.get("ce-type", "") in DOMAIN_EVENTS_BY_TYPE
        with consuming(f"apply {attributes['ce-type'] if known else 'unknown'}", attributes):
            try:
                event = from_pubsub(message.data, attributes)
                kind = DOMAIN_EVENTS_BY_TYPE.get(event["type"])
                if kind is not None:
                    apply(kind.model_validate(event.data), self._model)
            except (BadMessage, ValidationError):
                log.warning("ignored a domain event that cannot be read", exc_info=True)


def apply(event: DomainEvent, model: ReadModel) -> None:
    """Marks in the model what the event says changed."""
    match event:
        case SeasonFileLoaded(season=season):
            model.season_changed(season)  # maybe a new season, a new club, a table
        case (
            PlayerCreated(season=season, player=player)
            | PlayerUpdated(season=season, player=player)
        ):
            model.clubs_changed(season, [player.club])
        case PlayerDeleted(season=season, club=club):
            model.clubs_changed(season, [club])
        case PlayerTransferred(season=season, from_club=seller, to_club=buyer):
            model.clubs_changed(season, [seller, buyer])
