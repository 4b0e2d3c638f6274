"""socialbot: runs an organisation's social media programme from inside Slack."""
