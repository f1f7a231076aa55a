"""Charts shared by the panels and the printed reports (one drawing code for screen and paper)."""
