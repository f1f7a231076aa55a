"""Vigie's services: configuration, the store, the audit journal, and (later) the bus and recorder.

No Qt here, ever: the recorder and the command line run without a display.
"""
