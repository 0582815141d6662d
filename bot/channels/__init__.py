"""Messaging channels beyond Rasa's own: WeChat Official Accounts (`bot.channels.wechat.WeChatInput`).

Rasa loads a custom channel by the dotted path used as its key in credentials.yml.
"""
