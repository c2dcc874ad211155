"""Conversation's rules: scenarios, conversations and their turns, limits, feedback and the end report."""
