"""Green technology matchmaking: technologies, needs, partners, introductions and MOUs, and the
WIPO GREEN bridge. A Django app of its own (label ``matchmaking``) inside the mentoring stage."""
