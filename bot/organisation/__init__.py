"""The organisation: its timezone, departments, people and their roles, and its accounts."""
