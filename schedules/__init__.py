"""Milestone plans and alert delivery; the stage between storage and the bot."""
