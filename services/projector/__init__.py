"""The projector: events from the EVENTS stream -> Postgres read models and the Valkey cache."""
