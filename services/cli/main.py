"""`league`: one command line for operating League App. Each sub-command is a thin shell."""

import typer

from services.cli.asyncapi import asyncapi
from services.cli.bus import ping, topics
from services.cli.cloud import cloud
from services.cli.dev import dev
from services.cli.frontend import frontend
from services.cli.upload import ingest, upload
from services.cli.workers import worker

app = typer.Typer(no_args_is_help=True, help="League App: operate the league service.")
app.add_typer(topics, name="topics")
app.add_typer(dev, name="dev")
app.add_typer(cloud, name="cloud")
app.command()(ping)
app.command()(asyncapi)
app.command()(frontend)
app.command()(upload)
app.add_typer(ingest, name="ingest")
app.command()(worker)
