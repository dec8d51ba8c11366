"""Panels, plots, the diagram and tables: they render what the session holds."""
