"""`python -m services.transfer`: runs the transfer worker until SIGTERM."""

from services.transfer.bootstrap import bootstrap


def main() -> None:
    bootstrap().run_until_terminated()


if __name__ == "__main__":
    main()
