"""Report drafts: the content (``content``) and one writer per format (``docx``, ``pdf``, ``xlsx``).

The content is a stream of items in report order; each writer consumes it once, so a report of
5,000 recommendations reads the database in chunks and never holds more than one chunk of rows.
"""
