"""Plumbing shared by the services: settings, connections, tokens, embedded servers."""
