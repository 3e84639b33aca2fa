"""Push service: a student's own submission events, live over a WebSocket."""
