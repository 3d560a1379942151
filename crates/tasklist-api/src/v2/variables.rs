//! The variable calls of API v2 that are not about one user task: one variable by its key
//! (`GET /v2/variables/{variableKey}`).

use http::Method;
use tasklist_transport::Idempotency;

use crate::client::{Call, Client, PathBuilder, into_future};
use crate::error::Error;
use crate::v2::models::{FullVariable, KeyError, VariableKey};

/// Something that names a variable: a [`VariableKey`], or its decimal text or number.
///
/// Text is checked when the call is sent: a key that is not 1 to 25 characters of an
/// optional `-` and digits fails that call with [`Error::InvalidArgument`], and nothing is
/// sent.
///
/// ```
/// use tasklist_api::v2::IntoVariableKey;
/// use tasklist_api::v2::models::VariableKey;
///
/// assert_eq!("2251799813683287".into_variable_key()?, VariableKey::new("2251799813683287")?);
/// assert_eq!(2251799813683287_i64.into_variable_key()?.as_str(), "2251799813683287");
/// assert!("7-amount".into_variable_key().is_err());
/// # Ok::<(), tasklist_api::v2::models::KeyError>(())
/// ```
pub trait IntoVariableKey {
    /// The key, or why the value is none.
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the text is not a key.
    ///
    /// ```
    /// use tasklist_api::v2::IntoVariableKey;
    /// assert!(String::from("12").into_variable_key().is_ok());
    /// ```
    fn into_variable_key(self) -> Result<VariableKey, KeyError>;
}

impl IntoVariableKey for VariableKey {
    fn into_variable_key(self) -> Result<VariableKey, KeyError> {
        Ok(self)
    }
}

impl IntoVariableKey for &VariableKey {
    fn into_variable_key(self) -> Result<VariableKey, KeyError> {
        Ok(self.clone())
    }
}

impl IntoVariableKey for &str {
    fn into_variable_key(self) -> Result<VariableKey, KeyError> {
        VariableKey::new(self)
    }
}

impl IntoVariableKey for String {
    fn into_variable_key(self) -> Result<VariableKey, KeyError> {
        VariableKey::new(self)
    }
}

impl IntoVariableKey for &String {
    fn into_variable_key(self) -> Result<VariableKey, KeyError> {
        VariableKey::new(self.as_str())
    }
}

impl IntoVariableKey for i64 {
    fn into_variable_key(self) -> Result<VariableKey, KeyError> {
        Ok(VariableKey::from(self))
    }
}

/// The variable calls of API v2 (Camunda 8.8, 8.9 and 8.10), from
/// [`Client::v2_variables`].
///
/// The variables of one user task are searched with
/// [`UserTasksApi::variables`](crate::v2::UserTasksApi::variables), whose results carry each
/// variable's [`variable_key`](crate::v2::models::Variable::variable_key); this reads one of
/// them whole. Reads are **eventually consistent**: a variable a command just set may not be
/// visible yet.
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let page = client.user_tasks().variables("2251799813685251").name("contract").await?;
/// for found in &page.items {
///     let Some(key) = &found.variable_key else { continue };
///     let whole = client.v2_variables().get(key).await?;
///     println!("{:?} = {:?}", whole.name, whole.value);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct VariablesApi<'a> {
    client: &'a Client,
}

impl<'a> VariablesApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        VariablesApi { client }
    }

    /// Gets one variable with its whole value (`GET /v2/variables/{variableKey}`): never
    /// truncated, whatever its length.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let variable = client.v2_variables().get("2251799813683287").await?;
    /// let amount: f64 = variable.decode()?;
    /// # let _ = amount; Ok(())
    /// # }
    /// ```
    pub fn get(&self, key: impl IntoVariableKey) -> GetVariable {
        GetVariable {
            client: self.client.clone(),
            key: key.into_variable_key(),
        }
    }
}

/// The read of one variable by its key, from [`VariablesApi::get`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let variable = client.v2_variables().get("2251799813683287").send().await?;
/// # let _ = variable; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetVariable {
    client: Client,
    key: Result<VariableKey, KeyError>,
}

impl GetVariable {
    /// Sends the request, marked idempotent.
    ///
    /// # Errors
    ///
    /// - [`Error::InvalidArgument`] when the key is not a key; nothing is sent.
    /// - [`Error::NotFound`] when no such variable is visible (yet: reads are eventually
    ///   consistent), or when the server has no API v2 (Camunda 8.7 and older).
    /// - Otherwise as any call.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) {
    /// match client.v2_variables().get("2251799813683287").send().await {
    ///     Ok(variable) => println!("{:?}", variable.value),
    ///     Err(e) if e.is_not_found() => println!("not visible (yet)"),
    ///     Err(e) => println!("{e}"),
    /// }
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<FullVariable> {
        Box::pin(async move {
            let key = self
                .key
                .map_err(|e| Error::invalid(format!("the variable key is not usable: {e}")))?;
            let path = PathBuilder::new()
                .fixed("v2/variables")
                .param("variable key", key.as_str())?
                .build();
            let call = Call::new(Method::GET, path, Idempotency::Idempotent);
            self.client.json(call).await
        })
    }
}

into_future!(GetVariable => FullVariable);
