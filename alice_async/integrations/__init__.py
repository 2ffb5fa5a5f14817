"""Integrations with data tools (each an optional extra): :mod:`alice_async.integrations.dlt`."""
