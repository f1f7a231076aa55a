"""Vigie's services: everything below the screen, and nothing of Qt.

``domain`` holds the rules in plain Python; ``store`` the database (the audit journal included);
``bus`` the field contract on MQTT; ``recorder`` the process that writes the field's messages;
``simulator`` a field to talk to. The modules beside them are the operators' acts and readings the
console calls. ``setup.cfg``'s import-linter contracts state which may import which.

No Qt here, ever: the recorder and the command line run without a display.
"""
