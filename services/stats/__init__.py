"""The stats worker: read-only queries over a season (table, players, best, top)."""
