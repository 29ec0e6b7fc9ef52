"""The annual self-assessment (handbook G; R17, R29, R32). It belongs to a local authority
and a year, not to a review; the reviews of that LA read it."""
