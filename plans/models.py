"""Implementation plans: measures, indicators, progress (grows in later issues)."""
