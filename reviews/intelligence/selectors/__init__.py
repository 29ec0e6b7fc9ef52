"""What regional intelligence's pages, charts and exports read."""
