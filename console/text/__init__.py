"""Sentences the command line and the desks share: translation, error messages, commands, modes."""
