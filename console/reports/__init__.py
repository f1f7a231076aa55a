"""Printed reports: the room's figures laid out on paper (issue 22)."""
