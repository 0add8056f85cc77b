"""The eleven standard tables: column specs, row assembly, column placement."""
