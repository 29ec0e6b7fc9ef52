"""Pages of the workbook, one module per part."""
