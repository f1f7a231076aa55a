"""The Energy panel: street lighting's kWh per commune and night against full power, and savings."""
