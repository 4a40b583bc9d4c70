"""Read-side reporting: dashboards, report builders, open data (grows in later issues)."""
