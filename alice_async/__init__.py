"""alice-sdk: the async-first Python SDK for the Alice voice-bot REST API.

Example::

    from alice_async import AliceClient

    async with AliceClient(username="me", password="secret") as client:
        async for campaign in client.campaigns.list(status=CampaignStatus.STARTED):
            print(campaign.name)
"""

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
from ._exceptions import NotFoundError as NotFoundError
from ._exceptions import PermissionDeniedError as PermissionDeniedError
from ._exceptions import RateLimitError as RateLimitError
from ._exceptions import ServerError as ServerError
from ._pagination import AsyncPaginator as AsyncPaginator
from ._pagination import Page as Page
from ._retry import RetryPolicy as RetryPolicy
from ._transport import Response as Response
from ._types import NOT_GIVEN as NOT_GIVEN
from ._types import NotGiven as NotGiven
from ._types import Timeout as Timeout
from ._version import __version__ as __version__
from .models import Contact as Contact
from .models import ContactStatus as ContactStatus
from .models import Phonebook as Phonebook

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AliceClient",
    "AliceError",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "ConflictError",
    "Contact",
    "ContactStatus",
    "InvalidInputError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "Phonebook",
    "RateLimitError",
    "Response",
    "RetryPolicy",
    "ServerError",
    "Timeout",
    "__version__",
]
