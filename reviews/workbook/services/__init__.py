"""Writes of the workbook, one module per part: hypotheses and methods, deployment, the
notebook, the verbal feedback record."""
