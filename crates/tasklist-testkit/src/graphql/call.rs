//! What a resolver needs ([`Call`]: the server and the caller) and how it reports a failure of
//! the shared rules.

use async_graphql::Context;

use crate::api::Who;
use crate::errors::ApiFailure;
use crate::state::AppState;

/// What a resolver needs: the server and the caller.
#[derive(Clone)]
pub(super) struct Call {
    pub(super) state: AppState,
    pub(super) who: Who,
}

/// The [`Call`] of a request.
pub(super) fn call<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Call> {
    ctx.data::<Call>()
}

/// A failure of the shared rules as a GraphQL error carrying the server's message.
pub(super) fn failure(failure: ApiFailure) -> async_graphql::Error {
    async_graphql::Error::new(failure.message)
}
