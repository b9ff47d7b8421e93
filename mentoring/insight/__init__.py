"""Programme insight: deadlines of the mentoring stage (escalated by ``cohorts.escalation``),
the programme dashboard and the clinic's measured impact."""
