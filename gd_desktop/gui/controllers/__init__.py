"""One controller per concern of the main window; the window composes and wires them."""
