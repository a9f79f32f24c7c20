"""The sync area: this session's sync history, pending and refused changes, evidence uploads."""
