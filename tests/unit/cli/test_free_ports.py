"""The free ports the test stacks and the benchmark bind their components to."""

import socket

from services.devstack import components


def test_free_ports_are_drawn_below_the_range_outgoing_connections_take_theirs_from():
    lowest_ephemeral = int(components.EPHEMERAL_RANGE.read_text().split()[0])

    drawn = [components.free_port() for _ in range(200)]

    assert all(components.LOWEST_DRAWN_PORT <= a.port < lowest_ephemeral for a in drawn)


def test_a_port_already_handed_out_or_listened_on_is_passed_over(monkeypatch):
    monkeypatch.setattr(components, "_handed_out", set())
    handed_out = components.free_port().port
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        listened_on = listening.getsockname()[1]
        draws = iter([handed_out, listened_on, handed_out + 1])
        monkeypatch.setattr(components.random, "randrange", lambda *_: next(draws))

        drawn = components.free_port()

    assert drawn.port == handed_out + 1
