"""The Telegram adapter (issue 3): parses commands, calls the domain, renders replies."""
