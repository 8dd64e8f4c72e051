"""League App's deployable services (frontend, stats, playerops, transfer) and the `league` CLI."""
