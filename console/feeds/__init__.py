"""One Qt adapter per subscription.

The bus's hints and the database's record, read on a lane of the bridge, handed to the desks as
signals on the GUI thread.
"""
