"""The room's figures over a period: the daily report's and the Statistics panel's (issue 22)."""
