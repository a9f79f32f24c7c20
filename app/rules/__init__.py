"""Pure domain rules shared by the client and the reference server.

No Qt, no HTTP, no database: plain dataclasses and functions (task state machine, enforcing body, officer
rules, statutory clocks and thresholds, identifier validators, document numbering). Errors are
`app.errors.DomainError` subclasses with Chinese messages.
"""
