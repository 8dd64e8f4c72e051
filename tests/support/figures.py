"""The figures a reliability scenario measures, printed at the end of the test run.

A scenario calls `figures(name, commands=..., successes=..., ...)`; pytest prints every scenario's
line in a section of its own after the results (`make test` shows them, whatever the capture),
so the README's Reliability table can be made from one run.
"""

from typing import Any, Protocol

import pytest

FIGURES = pytest.StashKey[list[str]]()


class Figures(Protocol):
    def __call__(self, scenario: str, **values: Any) -> None: ...


def recorder(config: pytest.Config) -> Figures:
    lines = config.stash.setdefault(FIGURES, [])

    def record(scenario: str, **values: Any) -> None:
        shown = ", ".join(f"{name.replace('_', ' ')}: {value}" for name, value in values.items())
        lines.append(f"{scenario}: {shown}")
        print(lines[-1])  # also in the test's own captured output

    return record


def print_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("reliability figures")
        for line in lines:
            terminalreporter.line(line)
