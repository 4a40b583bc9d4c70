"""Import of UHRI feeds (JSON web-service export, XLSX and CSV exports).

``readers`` stream raw records from a file; ``records`` turns each into one typed, validated and
sanitised ``FeedRecord``; ``pipeline`` upserts them in batches with set-based SQL.
"""
