"""The router of every API module: an endpoint is declared by its path, the schema it answers,
the capability the caller needs, its summary and the error statuses it documents (in the one
`Error` shape).

    router = ApiRouter(tags=["staff workspace"])

    @router.get("/payslips/{id}", PayslipOut, "view_payslips", "One payslip", errors=(404,))

declares what `@router.get("/payslips/{id}", response={200: PayslipOut, 404: Error},
auth=capable("view_payslips"), summary="One payslip")` does on a Ninja router.
"""

from functools import partialmethod
from typing import Any

from ninja import Router
from ninja.constants import NOT_SET
from ninja.pagination import paginate

from caredesk.api_auth import capable
from caredesk.lib.schemas import Error, Page


def answers(schema: Any, *errors: int, status: int = 200) -> Any:
    """An endpoint's `response`: `schema` on `status` (or a `{status: schema}` map of its own),
    `Error` on each of `errors`; `schema` alone for a plain 200."""
    if isinstance(schema, dict):
        return {**schema, **dict.fromkeys(errors, Error)}
    if status == 200 and not errors:
        return schema
    return {status: schema, **dict.fromkeys(errors, Error)}


class ApiRouter(Router):
    """A Ninja router whose verbs also take, after the path, the schema answered, the capability
    the caller needs (`may`) and the summary, with `status` (200 unless given) and `errors`;
    `create` is a POST answering 201 and `page` a GET answering a page of the schema. Without
    a capability the verbs are Ninja's own (an endpoint open to all, or with its own auth).
    `errors` given to the router are those its endpoints document unless they name their own."""

    def __init__(self, *, errors: tuple[int, ...] = (), **options):
        super().__init__(**options)
        self.errors = errors

    def _declare(
        self,
        method,
        path,
        schema=NOT_SET,
        may=None,
        summary=None,
        *,
        errors=None,
        status=200,
        **options,
    ):
        if may is not None:
            errors = self.errors if errors is None else errors
            options.update(response=answers(schema, *errors, status=status), auth=capable(may))
        return getattr(Router, method)(self, path, summary=summary, **options)

    get = partialmethod(_declare, "get")
    post = partialmethod(_declare, "post")
    create = partialmethod(_declare, "post", status=201)
    put = partialmethod(_declare, "put")
    patch = partialmethod(_declare, "patch")
    delete = partialmethod(_declare, "delete")

    def page(self, path, schema, may, summary, *, paginator=Page, **options):
        """A list of `schema`, one page at a time (`{"count", "results"}`)."""
        route = self.get(path, list[schema], may, summary, **options)
        return lambda view: route(paginate(paginator)(view))
