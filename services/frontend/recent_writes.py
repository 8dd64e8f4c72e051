"""Read-your-writes: the clubs this frontend changed a moment ago, which its reads must see.

The stats workers answer reads from a model kept current by the domain events, which reach them
a little after a write's reply. For `window` seconds after a write through this frontend, every
read names the clubs the write changed (the `freshclubs` extension), and the stats worker reads
those clubs afresh from Firestore before answering. A read sent after a write's reply therefore
sees the write, on any replica. After the window the events have long arrived (in tens of
milliseconds, normally); the window only bounds how long reads pay for the fresh read.
"""

import time

from events.envelope import EVERY_CLUB
from firestore_layout import club_key

# Pub/Sub limits an attribute value to 1,024 bytes; beyond this, ask for every club instead.
MOST_NAMED = 900


class RecentWrites:
    def __init__(self, window: float) -> None:
        self._window = window
        self._until: dict[str, float] = {}  # club key -> when a read may stop asking

    def wrote(self, clubs: tuple[str, ...]) -> None:
        until = time.monotonic() + self._window
        for club in clubs:
            self._until[club_key(club)] = until

    def fresh_clubs(self) -> str:
        """What a read sent now must see afresh: club keys, `*` for all, or nothing."""
        now = time.monotonic()
        for key in [key for key, until in self._until.items() if until < now]:
            del self._until[key]
        named = " ".join(sorted(self._until))
        return EVERY_CLUB if len(named) > MOST_NAMED else named
