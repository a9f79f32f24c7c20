"""Use cases over the store: each runs one write transaction that changes the domain rows, appends the
audit event and queues the outbox row together, after checking the rules in `app.rules`."""
