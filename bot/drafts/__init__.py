"""Drafts of posts, submitted by contributors for their slots."""
