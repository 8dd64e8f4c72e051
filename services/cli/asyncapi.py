"""`league asyncapi`: regenerate (or check) events/asyncapi.yaml from the schemas."""

from typing import Annotated

import typer

from events.asyncapi import DOCUMENT, render


def asyncapi(
    check: Annotated[
        bool, typer.Option(help="Fail if the file is out of date; write nothing.")
    ] = False,
) -> None:
    """Write the AsyncAPI 3 document of the bus to events/asyncapi.yaml."""
    document = render()
    if check:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != document:
            typer.echo(f"{DOCUMENT} is out of date: run `league asyncapi`", err=True)
            raise typer.Exit(1)
        typer.echo(f"{DOCUMENT}: up to date")
        return
    DOCUMENT.write_text(document)
    typer.echo(f"wrote {DOCUMENT}")
