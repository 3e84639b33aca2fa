"""The Grindstone curriculum: sources in src/, built into curriculum.jsonl by build.py."""
