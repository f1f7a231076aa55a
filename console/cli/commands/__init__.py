"""The subcommands of ``vigie``, one module each, each with ``register(subparsers, common)``."""
