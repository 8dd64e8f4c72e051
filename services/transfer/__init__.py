"""The transfer worker: moves a player and the price between two clubs in one transaction."""
