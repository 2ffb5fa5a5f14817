"""Typed response models and enums, one module per resource (re-exported by ``alice_async``)."""

from .contacts import Contact as Contact
from .contacts import ContactStatus as ContactStatus
from .phonebooks import Phonebook as Phonebook

__all__ = ["Contact", "ContactStatus", "Phonebook"]
