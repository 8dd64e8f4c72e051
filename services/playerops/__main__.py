"""`python -m services.playerops`: runs the playerops worker until SIGTERM."""

from services.playerops.bootstrap import bootstrap


def main() -> None:
    bootstrap().run_until_terminated()


if __name__ == "__main__":
    main()
