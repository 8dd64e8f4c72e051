"""What each deployable ships: the project's own modules its entry point imports, and no more.

Standard library only, so that a Docker build stage can run it before anything is installed.
"""
