"""The incident detail panel: every field, the history, the notes, and the allowed actions."""
