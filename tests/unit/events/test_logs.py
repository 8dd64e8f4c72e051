"""The JSON log lines every process writes: one object a line, bounded whatever the input."""

import json
import logging

from events.logs import MAX_FIELD_CHARS, configure_logging, request_id


def last_line(capsys) -> dict:
    return json.loads(capsys.readouterr().err.strip().splitlines()[-1])


def test_a_line_names_its_service_severity_and_request(capsys):
    configure_logging("stats", "INFO", "league-test")
    with request_id("command-1"):
        logging.getLogger("test").warning("refused", extra={"code": "not_found"})

    line = last_line(capsys)
    assert (line["service"], line["severity"], line["message"]) == ("stats", "WARNING", "refused")
    assert (line["request_id"], line["code"]) == ("command-1", "not_found")
    assert "time" in line and "logging.googleapis.com/trace" not in line  # outside any span


def test_no_field_carries_unbounded_input(capsys):
    configure_logging("frontend", "INFO", "league-test")
    endless = "a" * 100_000
    logging.getLogger("test").info("asked for %s", endless, extra={"path": endless})

    line = last_line(capsys)
    assert len(line["path"]) <= MAX_FIELD_CHARS + 1
    assert len(line["message"]) <= MAX_FIELD_CHARS + 1
