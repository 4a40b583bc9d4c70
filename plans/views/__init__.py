"""The plans app's pages."""
