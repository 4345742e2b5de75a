"""recovery_analytics."""
