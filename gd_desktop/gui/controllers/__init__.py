"""Controllers: each owns one concern of the main window."""
