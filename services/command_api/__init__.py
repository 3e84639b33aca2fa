"""The command API: HTTP commands in, events appended to the EVENTS stream."""
