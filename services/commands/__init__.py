"""Commands and dispatches: the outbox, who is expected to answer, and what the answers add up to.

One code path for the console, the command line and mode switches: write to the outbox, publish,
follow the acks. Nothing is shown done on the sender's say-so.
"""
