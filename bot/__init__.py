"""The Rasa side's own Python: the floor that actions/ and forms/ stand on, and what Rasa loads.

The floor (imports neither actions nor forms): court_client.py (the backend over HTTP), texts.py
(every sentence the action server says), tracker.py, readers/ (reading Chinese answers), drafts.py,
own_filings.py, corrections.py, fee_categories.py. Above it: action_server.py (the action server's
entry module, naming actions and forms), nlu/ (the tokenizer and value extractor in config.yml)
and channels/ (WeChat). See docs/architecture.md.
"""
