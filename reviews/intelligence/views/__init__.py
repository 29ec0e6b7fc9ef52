"""Regional intelligence's pages: one module per part."""
