"""The law as one authority: questions every workflow asks of the legal framework (e.g. which body enforces a
matter in a township on a day) are answered here, from the store, and nowhere else."""
