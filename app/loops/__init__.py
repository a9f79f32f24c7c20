"""The reform plan's loops: interventions, urgent response, complaints, 抄告 replies and grid patrol tiers."""
