"""One class per API resource; each is reached as an attribute of the client."""

from .contacts import Contacts as Contacts
from .phonebooks import Phonebooks as Phonebooks

__all__ = ["Contacts", "Phonebooks"]
