"""Article extraction: scraped news text in, plain commitments and reports out (no I/O beyond reading the file)."""
