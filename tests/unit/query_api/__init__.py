"""Unit tests of the query API's pure parts."""
