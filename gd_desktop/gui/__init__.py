"""The window: a thin Qt session around the core's run, the main window, controllers and views."""
