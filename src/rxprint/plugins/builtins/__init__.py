"""rxprint's own features, provided as plugins through the public hooks."""
