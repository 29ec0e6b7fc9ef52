"""Regional intelligence's forms: one module per part."""
