//! Where each API starts on a [`Client`]: [`tasks`](Client::tasks),
//! [`user_tasks`](Client::user_tasks), [`human_tasks`](Client::human_tasks) and the others. They
//! are apart from the client itself (`client`), which the API modules build on and which so
//! knows none of them.

use crate::client::Client;
use crate::human::HumanTasks;
use crate::v1::{FormsApi, GraphQlRequest, TasksApi, VariablesApi};
use crate::v2::{GetTopology, UserTasksApi, VariablesApi as V2VariablesApi};

impl Client {
    /// The task calls: search, get, assign, unassign, complete, draft variables and task
    /// variables.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.tasks().get("2251799813685251").await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn tasks(&self) -> TasksApi<'_> {
        TasksApi::new(self)
    }

    /// The variable calls: get one variable with its full value.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let variable = client.variables().get("2251799813685251-amount").await?;
    /// # let _ = variable; Ok(())
    /// # }
    /// ```
    pub fn variables(&self) -> VariablesApi<'_> {
        VariablesApi::new(self)
    }

    /// The form calls: get a form by id and process definition.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let form = client.forms().get("userTaskForm_1", "2251799813685249").await?;
    /// # let _ = form; Ok(())
    /// # }
    /// ```
    pub fn forms(&self) -> FormsApi<'_> {
        FormsApi::new(self)
    }

    /// The user-task calls of API v2 (Camunda 8.8 and later, `/v2/user-tasks/...`): search,
    /// get, update, assign, unassign, complete, form, variables, effective variables, audit
    /// logs, and a bounded wait for eventually consistent reads.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let task = client.user_tasks().get("2251799813685251").await?;
    /// # let _ = task; Ok(())
    /// # }
    /// ```
    pub fn user_tasks(&self) -> UserTasksApi<'_> {
        UserTasksApi::new(self)
    }

    /// The variable calls of API v2 (Camunda 8.8 and later): get one variable by its key
    /// (`GET /v2/variables/{variableKey}`), with its whole value. The key is the
    /// `variableKey` of a [`user_tasks`](Self::user_tasks) variable search result; the v1 call
    /// is [`variables`](Self::variables).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let variable = client.v2_variables().get("2251799813683287").await?;
    /// # let _ = variable; Ok(())
    /// # }
    /// ```
    pub fn v2_variables(&self) -> V2VariablesApi<'_> {
        V2VariablesApi::new(self)
    }

    /// The common task interface over both APIs: search, get, assign, unassign, complete,
    /// variables (and one variable by its id), form (and update and history on v2, drafts on
    /// v1), sent to the API the client uses ([`Client::api`]). See [`human`](crate::human).
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let tasks = client.human_tasks().search().assignee("demo").send().await?;
    /// # let _ = tasks; Ok(())
    /// # }
    /// ```
    pub fn human_tasks(&self) -> HumanTasks {
        HumanTasks::new(self.clone())
    }

    /// The cluster's topology (`GET /v2/topology`, Camunda 8.8 and later), whose
    /// `gatewayVersion` tells the versions apart.
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let topology = client.topology().await?;
    /// println!("{}", topology.gateway_version.as_deref().unwrap_or("unknown"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn topology(&self) -> GetTopology {
        GetTopology::new(self.clone())
    }

    /// A raw query to the legacy GraphQL endpoint (`POST /graphql`), served by Tasklist
    /// before 8.8. See [`GraphQlRequest`].
    ///
    /// ```
    /// # async fn example(client: tasklist_api::Client) -> Result<(), tasklist_api::Error> {
    /// let data = client.graphql("{tasks(query:{}){name}}").await?;
    /// # let _ = data; Ok(())
    /// # }
    /// ```
    pub fn graphql(&self, query: impl Into<String>) -> GraphQlRequest {
        GraphQlRequest::new(self.clone(), query.into())
    }
}
