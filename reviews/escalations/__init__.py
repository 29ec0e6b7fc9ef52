"""Escalations (R26): a concern raised by the host, answered by the lead, adjudicated by
the QA if unresolved."""
