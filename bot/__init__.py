"""The Telegram adapter: parses commands, calls the domain, renders replies."""

import os

# python-telegram-bot 22 gives time periods (a 429's retry_after) as int with a deprecation warning unless this
# opts in to the coming timedelta form; the sender and the start-up retry read both. A user's own value stands.
os.environ.setdefault("PTB_TIMEDELTA", "true")
