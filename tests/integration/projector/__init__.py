"""Integration tests of the projector."""
