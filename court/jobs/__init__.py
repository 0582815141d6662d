"""Background jobs run for the app's lifetime (aiohttp cleanup contexts): overdue fees, Rasa's
events into transcripts, court notices delivered into conversations."""
