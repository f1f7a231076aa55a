"""The Statistics panel: the room's figures over a chosen period and commune, as charts."""
