"""alice-sdk: the async-first Python SDK for the Alice voice-bot REST API.

Example::

    from alice_async import AliceClient

    async with AliceClient(username="me", password="secret") as client:
        async for campaign in client.campaigns.list(status=CampaignStatus.STARTED):
            print(campaign.name)
"""

from ._auth import TokenLifetime as TokenLifetime
from ._client import AliceClient as AliceClient
from ._exceptions import AliceError as AliceError
from ._exceptions import APIConnectionError as APIConnectionError
from ._exceptions import APIError as APIError
from ._exceptions import APIResponseValidationError as APIResponseValidationError
from ._exceptions import APIStatusError as APIStatusError
from ._exceptions import APITimeoutError as APITimeoutError
from ._exceptions import AuthenticationError as AuthenticationError
from ._exceptions import BadRequestError as BadRequestError
from ._exceptions import ClientStateError as ClientStateError
from ._exceptions import ConflictError as ConflictError
from ._exceptions import InvalidInputError as InvalidInputError
from ._exceptions import MissingDependencyError as MissingDependencyError
from ._exceptions import NotFoundError as NotFoundError
from ._exceptions import PermissionDeniedError as PermissionDeniedError
from ._exceptions import RateLimitError as RateLimitError
from ._exceptions import ServerError as ServerError
from ._exceptions import WaitTimeoutError as WaitTimeoutError
from ._hooks import RequestEvent as RequestEvent
from ._hooks import ResponseEvent as ResponseEvent
from ._hooks import RetryEvent as RetryEvent
from ._pagination import AsyncPaginator as AsyncPaginator
from ._pagination import Page as Page
from ._raw import RawRequest as RawRequest
from ._raw import RawResponse as RawResponse
from ._retry import RetryPolicy as RetryPolicy
from ._throttle import RateLimitState as RateLimitState
from ._transport import Response as Response
from ._types import NOT_GIVEN as NOT_GIVEN
from ._types import NotGiven as NotGiven
from ._types import Timeout as Timeout
from ._version import __version__ as __version__
from .bulk import BulkDoNotCall as BulkDoNotCall
from .bulk import BulkDuplicate as BulkDuplicate
from .bulk import BulkInvalidRow as BulkInvalidRow
from .bulk import BulkResult as BulkResult
from .bulk import BulkUploadError as BulkUploadError
from .bulk import ContactInput as ContactInput
from .bulk import ContactReader as ContactReader
from .bulk import DuplicateReason as DuplicateReason
from .bulk import MalformedRow as MalformedRow
from .bulk import read_contacts as read_contacts
from .bulk import read_contacts_csv as read_contacts_csv
from .models import Alarm as Alarm
from .models import AlarmMethod as AlarmMethod
from .models import AlarmResult as AlarmResult
from .models import AlarmStatus as AlarmStatus
from .models import AmdStatus as AmdStatus
from .models import Calendar as Calendar
from .models import CalendarSetting as CalendarSetting
from .models import CalendarUser as CalendarUser
from .models import Campaign as Campaign
from .models import CampaignAction as CampaignAction
from .models import CampaignStatus as CampaignStatus
from .models import Cdr as Cdr
from .models import Contact as Contact
from .models import ContactStatus as ContactStatus
from .models import Disposition as Disposition
from .models import DncContact as DncContact
from .models import DncList as DncList
from .models import Event as Event
from .models import EventStatus as EventStatus
from .models import Gateway as Gateway
from .models import GatewayStatus as GatewayStatus
from .models import HangupCause as HangupCause
from .models import LegType as LegType
from .models import Phonebook as Phonebook
from .models import SectionTemplate as SectionTemplate
from .models import SectionType as SectionType
from .models import Subscriber as Subscriber
from .models import SubscriberStatus as SubscriberStatus
from .models import Survey as Survey
from .models import SurveyTemplate as SurveyTemplate
from .models import TtsLanguage as TtsLanguage
from .models.progress import CampaignProgress as CampaignProgress
from .models.progress import Progress as Progress
from .resources._filters import CdrFieldFilters as CdrFieldFilters
from .resources._filters import CdrFilters as CdrFilters
from .resources._filters import SubscriberFilters as SubscriberFilters

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Alarm",
    "AlarmMethod",
    "AlarmResult",
    "AlarmStatus",
    "AliceClient",
    "AliceError",
    "AmdStatus",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "BulkDoNotCall",
    "BulkDuplicate",
    "BulkInvalidRow",
    "BulkResult",
    "BulkUploadError",
    "Calendar",
    "CalendarSetting",
    "CalendarUser",
    "Campaign",
    "CampaignAction",
    "CampaignProgress",
    "CampaignStatus",
    "Cdr",
    "CdrFieldFilters",
    "CdrFilters",
    "ClientStateError",
    "ConflictError",
    "Contact",
    "ContactInput",
    "ContactReader",
    "ContactStatus",
    "Disposition",
    "DncContact",
    "DncList",
    "DuplicateReason",
    "Event",
    "EventStatus",
    "Gateway",
    "GatewayStatus",
    "HangupCause",
    "InvalidInputError",
    "LegType",
    "MalformedRow",
    "MissingDependencyError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "Phonebook",
    "Progress",
    "RateLimitError",
    "RawRequest",
    "RawResponse",
    "RequestEvent",
    "Response",
    "ResponseEvent",
    "RateLimitState",
    "RetryEvent",
    "RetryPolicy",
    "SectionTemplate",
    "SectionType",
    "ServerError",
    "Subscriber",
    "SubscriberFilters",
    "SubscriberStatus",
    "Survey",
    "SurveyTemplate",
    "Timeout",
    "TokenLifetime",
    "TtsLanguage",
    "WaitTimeoutError",
    "__version__",
    "read_contacts",
    "read_contacts_csv",
]
