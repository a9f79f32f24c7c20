"""Dialogs of the shell: sign-in, task actions (return, report back, assign) and conflict resolution."""
