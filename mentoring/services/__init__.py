"""Mentoring services: one function per transition (see each module)."""
