"""`python -m shipping stage IMAGE DEST`, `python -m shipping list`: the Dockerfile's build step.

Standard library only: the image's build stage runs it before it installs anything.
"""

import argparse
from pathlib import Path

from shipping.images import IMAGES, closure, image_named, stage


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shipping", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    staging = commands.add_parser("stage", help="assemble one image's project in DEST")
    staging.add_argument("image", choices=[image.name for image in IMAGES])
    staging.add_argument("destination", type=Path)
    commands.add_parser("list", help="the project packages each image holds")
    arguments = parser.parse_args()
    if arguments.command == "stage":
        stage(image_named(arguments.image), arguments.destination)
    else:
        for image in IMAGES:
            print(f"{image.name}: {' '.join(closure(image).packages())}")


if __name__ == "__main__":
    main()
