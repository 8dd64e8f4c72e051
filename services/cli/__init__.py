"""The `league` command line."""
