"""My tasks entries of matchmaking."""
