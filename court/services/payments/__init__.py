"""Paying a fee notice online: the provider interface (WeChat Pay API v3 shaped), the dev provider, the service."""
