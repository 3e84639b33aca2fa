"""The query API: GET endpoints over the read models, cached in Valkey."""
