"""`python -m services.stats`: runs the stats worker until SIGTERM."""

from services.stats.bootstrap import bootstrap


def main() -> None:
    bootstrap().run_until_terminated()


if __name__ == "__main__":
    main()
