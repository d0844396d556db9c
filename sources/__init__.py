"""Where news comes from before it is read: the safe HTTP client, feeds (RSS/Atom) and web pages."""
