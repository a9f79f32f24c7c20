"""Field-recording tests: services, rules, UI, faults, latency and the offline → online loop."""
