"""Readers of the litigant's Chinese answers: amounts, dates, numbers, names, parties, lists, yes/no.

Pure functions over text (no tracker, no I/O), shared by the validators (forms/), the actions
(actions/) and the NLU's value extractor (bot/nlu/values.py); each returns the value read or a
Chinese explanation of what could not be read. The rules behind them are in court/rules/.
"""
