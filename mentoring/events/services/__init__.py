"""Event services: one function per state transition (see each module)."""
