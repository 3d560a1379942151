//! The form call.

use http::Method;
use tasklist_transport::Idempotency;

use crate::client::{Call, Client, PathBuilder, into_future};
use crate::error::Error;
use crate::v1::models::{Form, FormId, ProcessDefinitionKey};

/// The form calls, from [`Client::forms`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let form = client.forms().get("userTaskForm_1", "2251799813685249").await?;
/// # let _ = form; Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FormsApi<'a> {
    client: &'a Client,
}

impl<'a> FormsApi<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        FormsApi { client }
    }

    /// Gets a form of a process definition
    /// (`GET /v1/forms/{formId}?processDefinitionKey=..`). For a deployed (linked) form,
    /// [`version`](GetForm::version) picks a version; without it the server returns the
    /// latest.
    ///
    /// A task's `form_id` (deployed forms) or `form_key` (embedded forms, whose id is the
    /// part after `camunda-forms:bpmn:`) names the form, its `process_definition_key` the
    /// process definition.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), tasklist_api::Error> {
    /// # let client = tasklist_api::Client::new("http://localhost:8080", tasklist_transport::test_util::Canned::json(200, r#"{"id":"invoice","processDefinitionKey":"42","title":"Invoice","schema":"{\"components\":[]}","version":3,"isDeleted":false}"#))?;
    /// let form = client.forms().get("invoice", "42").version(3).await?;
    /// assert_eq!(form.title.as_deref(), Some("Invoice"));
    /// let schema: serde_json::Value = serde_json::from_str(form.schema.as_deref().unwrap_or("{}")).unwrap();
    /// assert!(schema["components"].is_array());
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(
        &self,
        form_id: impl Into<FormId>,
        process_definition_key: impl Into<ProcessDefinitionKey>,
    ) -> GetForm {
        GetForm {
            client: self.client.clone(),
            form_id: form_id.into(),
            process_definition_key: process_definition_key.into(),
            version: None,
        }
    }
}

/// Gets a form, from [`FormsApi::get`].
///
/// ```
/// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
/// let form = client.forms().get("invoice", "42").send().await?;
/// # let _ = form; Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is sent or awaited"]
pub struct GetForm {
    client: Client,
    form_id: FormId,
    process_definition_key: ProcessDefinitionKey,
    version: Option<i64>,
}

impl GetForm {
    /// The version of a deployed form; without it, the latest.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let form = client.forms().get("invoice", "42").version(2).await?;
    /// # let _ = form; Ok(())
    /// # }
    /// ```
    pub fn version(mut self, version: i64) -> Self {
        self.version = Some(version);
        self
    }

    /// Sends the request, marked idempotent.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let pending = client.forms().get("invoice", "42").send();
    /// let form = pending.await?;
    /// # let _ = form; Ok(())
    /// # }
    /// ```
    pub fn send(self) -> crate::ResponseFuture<Form> {
        Box::pin(async move {
            if self.process_definition_key.as_str().is_empty() {
                return Err(Error::invalid("the process definition key is empty"));
            }
            let mut path = PathBuilder::new()
                .fixed("v1/forms")
                .param("form id", self.form_id.as_str())?
                .query("processDefinitionKey", self.process_definition_key.as_str());
            if let Some(version) = self.version {
                path = path.query("version", &version.to_string());
            }
            let call = Call::new(Method::GET, path.build(), Idempotency::Idempotent);
            self.client.json(call).await
        })
    }
}

into_future!(GetForm => Form);

#[cfg(test)]
mod tests {
    use crate::testing::{Recorder, json_response};

    #[tokio::test]
    async fn form_id_and_query_are_encoded() {
        let recorder = Recorder::with(|_| json_response(200, r#"{"id":"f"}"#));
        let client = recorder.client("http://h/tl/");
        client.forms().get("a/b?c", "1&x=2").await.unwrap();
        client.forms().get("f", "9").version(-1).await.unwrap();
        let e = client.forms().get("f", "").await.unwrap_err();
        assert!(matches!(e, crate::Error::InvalidArgument(_)));
        let uris: Vec<_> = recorder.requests().into_iter().map(|r| r.uri).collect();
        assert_eq!(
            uris,
            [
                "http://h/tl/v1/forms/a%2Fb%3Fc?processDefinitionKey=1%26x%3D2",
                "http://h/tl/v1/forms/f?processDefinitionKey=9&version=-1",
            ]
        );
    }
}
