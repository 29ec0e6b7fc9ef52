"""The review and its team (R10, R11, R14–R16, R29, R30): the record of a PCTR or SAV, its
states, its team and who may see what of it. Every later stage builds on this one."""
