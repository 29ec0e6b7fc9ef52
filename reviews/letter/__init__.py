"""The feedback letter (handbook I; R23, R38): drafted from the verbal feedback record,
proofread by the QA, shared with the host, issued final as a PDF that never changes."""
