"""`league`: one command line for operating League App. Each sub-command is a thin shell."""

import typer

app = typer.Typer(no_args_is_help=True, help="League App: operate the league service.")
