"""The playerops worker: create, read, update and delete one player, each change exactly once."""
