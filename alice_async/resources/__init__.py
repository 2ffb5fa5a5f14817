"""One class per API resource; each is reached as an attribute of the client."""

from .calendars import Alarms as Alarms
from .calendars import Calendars as Calendars
from .calendars import CalendarSettings as CalendarSettings
from .calendars import CalendarUsers as CalendarUsers
from .calendars import Events as Events
from .campaigns import Campaigns as Campaigns
from .cdr import Cdrs as Cdrs
from .contacts import Contacts as Contacts
from .dnc import DncContacts as DncContacts
from .dnc import DncLists as DncLists
from .gateways import Gateways as Gateways
from .phonebooks import Phonebooks as Phonebooks
from .section_templates import SectionTemplates as SectionTemplates
from .subscribers import Subscribers as Subscribers
from .survey_templates import SurveyTemplates as SurveyTemplates
from .surveys import Surveys as Surveys

__all__ = [
    "Alarms",
    "CalendarSettings",
    "CalendarUsers",
    "Calendars",
    "Campaigns",
    "Cdrs",
    "Contacts",
    "DncContacts",
    "DncLists",
    "Events",
    "Gateways",
    "Phonebooks",
    "SectionTemplates",
    "Subscribers",
    "SurveyTemplates",
    "Surveys",
]
