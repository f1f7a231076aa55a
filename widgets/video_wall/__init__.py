"""The video wall: tiles playing live cameras, each view opened for a purpose (issue 18)."""
