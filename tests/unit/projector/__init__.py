"""Unit tests of the projector's pure parts."""
