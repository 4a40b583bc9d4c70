"""The plans' pages."""
