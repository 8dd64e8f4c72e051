"""How often one writer may change the league: a moving window per token subject, per replica.

This layer, not the mesh's: Envoy's local rate limit counts per pod (or per fixed descriptor
value), not per caller, while the app knows the caller once it has checked the token. With N
replicas a writer gets at most N times the rate; the `limits` library keeps the windows.
"""

import logging
import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from services.frontend.tokens import Actor, Refused

log = logging.getLogger(__name__)


class WriteRate:
    def __init__(self, rate: str) -> None:
        self.rate: RateLimitItem = parse(rate)
        self.windows = MovingWindowRateLimiter(MemoryStorage())

    def take(self, actor: Actor) -> None:
        """Counts one write of `actor`'s; raises a 429 `Refused` when over the rate."""
        if self.windows.hit(self.rate, actor.subject):
            return
        reset_at, _ = self.windows.get_window_stats(self.rate, actor.subject)
        wait = max(1, math.ceil(reset_at - time.time()))
        log.info("write refused: over the rate", extra={"actor": actor.subject, "wait": wait})
        raise Refused(
            429,
            "rate_limited",
            f"at most {self.rate} changes per writer; try again in {wait} s",
            {"Retry-After": str(wait)},
        )
