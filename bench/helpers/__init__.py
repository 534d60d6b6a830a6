"""Small programs the benchmark runs as children (no-op hooks, seam bypass, parse reference)."""
