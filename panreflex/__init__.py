"""PanReflex – Reflexionsraum für kommunales Krisenmanagement."""

__version__ = "0.1.0"
