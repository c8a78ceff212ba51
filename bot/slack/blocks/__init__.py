"""Block Kit the app sends: mrkdwn escaping, the templates, and the messages built from them."""
