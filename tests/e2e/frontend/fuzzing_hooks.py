"""schemathesis hooks for the fuzzing test (loaded through SCHEMATHESIS_HOOKS).

The generator draws an `Idempotency-Key` from a small space and so sends one key with many
bodies, which the API rightly refuses (422 `id_reused`, the IETF draft's answer) while
schemathesis counts it as a valid request rejected. Each request gets a key of its own here;
reusing a key is tested by tests/e2e/frontend/test_idempotency_keys.py.
"""

import uuid
from typing import Any

import schemathesis

KEY = "Idempotency-Key"


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    if case.headers and KEY in case.headers:
        case.headers[KEY] = uuid.uuid4().hex
