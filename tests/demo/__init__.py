"""Tests of the demo district: dataset, seeding and the volume generator."""
