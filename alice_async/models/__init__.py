"""Typed response models and enums, one module per resource (re-exported by ``alice_async``)."""

from .calendars import Alarm as Alarm
from .calendars import AlarmMethod as AlarmMethod
from .calendars import AlarmResult as AlarmResult
from .calendars import AlarmStatus as AlarmStatus
from .calendars import Calendar as Calendar
from .calendars import CalendarSetting as CalendarSetting
from .calendars import CalendarUser as CalendarUser
from .calendars import Event as Event
from .calendars import EventStatus as EventStatus
from .campaigns import Campaign as Campaign
from .campaigns import CampaignAction as CampaignAction
from .campaigns import CampaignStatus as CampaignStatus
from .cdr import AmdStatus as AmdStatus
from .cdr import Cdr as Cdr
from .cdr import Disposition as Disposition
from .cdr import HangupCause as HangupCause
from .cdr import LegType as LegType
from .contacts import Contact as Contact
from .contacts import ContactStatus as ContactStatus
from .dnc import DncContact as DncContact
from .dnc import DncList as DncList
from .gateways import Gateway as Gateway
from .gateways import GatewayStatus as GatewayStatus
from .phonebooks import Phonebook as Phonebook
from .section_templates import SectionTemplate as SectionTemplate
from .section_templates import SectionType as SectionType
from .subscribers import Subscriber as Subscriber
from .subscribers import SubscriberStatus as SubscriberStatus
from .survey_templates import SurveyTemplate as SurveyTemplate
from .survey_templates import TtsLanguage as TtsLanguage
from .surveys import Survey as Survey

__all__ = [
    "Alarm",
    "AlarmMethod",
    "AlarmResult",
    "AlarmStatus",
    "AmdStatus",
    "Calendar",
    "CalendarSetting",
    "CalendarUser",
    "Campaign",
    "CampaignAction",
    "CampaignStatus",
    "Cdr",
    "Contact",
    "ContactStatus",
    "Disposition",
    "DncContact",
    "DncList",
    "Event",
    "EventStatus",
    "Gateway",
    "GatewayStatus",
    "HangupCause",
    "LegType",
    "Phonebook",
    "SectionTemplate",
    "SectionType",
    "Subscriber",
    "SubscriberStatus",
    "Survey",
    "SurveyTemplate",
    "TtsLanguage",
]
