"""Per-process turns on clubs: a bounded table, and no deadlock whatever order keys come in."""

import threading

from services.workers.keyed_locks import STRIPES, KeyedLocks


def test_the_lock_table_does_not_grow_with_the_names_callers_send():
    locks = KeyedLocks()
    for n in range(10_000):
        with locks.holding([f"club {n}", f"other club {n}"]):
            pass
    assert len(locks) == STRIPES


def test_holders_of_the_same_keys_in_any_order_take_turns_without_deadlock():
    locks, inside, overlaps = KeyedLocks(), [], []

    def hold(keys: list[str]) -> None:
        for _ in range(200):
            with locks.holding(keys):
                inside.append(1)
                overlaps.append(len(inside) > 1)
                inside.pop()

    threads = [threading.Thread(target=hold, args=(keys,)) for keys in (["a", "b"], ["b", "a"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads) and not any(overlaps)
