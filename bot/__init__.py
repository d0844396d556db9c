"""The Telegram adapter: parses commands, calls the domain, renders replies."""
