"""What changes regional intelligence's records: the themes, their tags, and the progress
the host reports on agreed actions."""
