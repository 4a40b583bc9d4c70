"""Import of UHRI feeds (JSON web-service export, XLSX and CSV exports).

``readers`` stream raw records from a file; ``records`` turns each into one typed, validated and
sanitised ``FeedRecord``; ``pipeline`` upserts them in batches with set-based SQL, with the help of
``readahead`` (the reader thread), ``checks`` (rejected rows and issues), ``lookups`` (labels to
ids), ``columns`` (what is written into which column), ``sql`` (the statements), ``store`` (a
batch's reads and writes) and ``withdrawal``.
``fetch`` downloads a feed from a URL.
"""
