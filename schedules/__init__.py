"""Milestone plans and alert delivery (issue 4); the stage between storage and the bot."""
