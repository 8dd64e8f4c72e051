"""Domain events: facts in the past tense that League App publishes for anyone to consume."""

from events.messages import DomainEvent, event_type
from events.values import Count, Name, Player, SeasonId


class SeasonFileLoaded(DomainEvent):
    event_type = event_type("season_file_loaded")

    season: SeasonId
    file: str
    club: Name | None
    rows: Count
    generation: int


class PlayerCreated(DomainEvent):
    event_type = event_type("player_created")

    season: SeasonId
    player: Player


class PlayerUpdated(DomainEvent):
    event_type = event_type("player_updated")

    season: SeasonId
    player: Player


class PlayerDeleted(DomainEvent):
    event_type = event_type("player_deleted")

    season: SeasonId
    club: Name
    name: Name


class PlayerTransferred(DomainEvent):
    event_type = event_type("player_transferred")

    season: SeasonId
    player: Name
    price: Count
    from_club: Name
    from_club_capital: Count
    to_club: Name
    to_club_capital: Count


ALL_DOMAIN_EVENTS: tuple[type[DomainEvent], ...] = (
    SeasonFileLoaded,
    PlayerCreated,
    PlayerUpdated,
    PlayerDeleted,
    PlayerTransferred,
)
DOMAIN_EVENTS_BY_TYPE = {e.event_type: e for e in ALL_DOMAIN_EVENTS}
