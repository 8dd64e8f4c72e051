"""`league worker stats|playerops|transfer`: runs one worker service until SIGTERM."""

import typer

worker = typer.Typer(no_args_is_help=True, help="Run a worker service (until SIGTERM or Ctrl-C).")


@worker.command("stats")
def stats() -> None:
    """Run the stats worker: league table, players, best and top players."""
    from services.stats.bootstrap import bootstrap

    bootstrap().run_until_terminated()


@worker.command("playerops")
def playerops() -> None:
    """Run the playerops worker: create, read, update and delete players."""
    from services.playerops.bootstrap import bootstrap

    bootstrap().run_until_terminated()


@worker.command("transfer")
def transfer() -> None:
    """Run the transfer worker: move players and money between clubs."""
    from services.transfer.bootstrap import bootstrap

    bootstrap().run_until_terminated()
