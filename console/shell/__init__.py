"""The console's frame: main window, docks' declarations, View menu, layouts, preferences, theme."""
