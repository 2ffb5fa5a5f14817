"""``client.gateways``: the read-only ``gateway/`` endpoint (docs/API.md §5.6)."""

from __future__ import annotations

from .._pagination import AsyncPaginator
from .._types import NOT_GIVEN, Headers, NotGiven, Query, TimeoutTypes
from ..models.gateways import Gateway
from ._base import Resource, bounded, per_call

__all__ = ["Gateways"]


class Gateways(Resource):
    """Gateways calls go out through (read-only): a campaign's ``aleg_gateway``.

    Example::

        gateways = await client.gateways.list().to_list()
        gateway = next(g for g in gateways if g.status is GatewayStatus.ACTIVE)
    """

    _path = "gateway/"

    @per_call
    def list(
        self,
        *,
        page_size: int | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> AsyncPaginator[Gateway]:
        """Gateways of the account."""
        return self._paginate(
            Gateway, {}, page_size=page_size, timeout=timeout, max_retries=max_retries
        )

    @bounded
    async def get(
        self,
        id: int,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        deadline: float | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
        extra_query: Query | None = None,
    ) -> Gateway:
        """One gateway by id."""
        return await self._retrieve(id, Gateway, timeout=timeout, max_retries=max_retries)
