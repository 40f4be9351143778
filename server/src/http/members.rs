//! A network's members on the organiser page (behind the organiser check): the list of a
//! membership year, as JSON or as a sheet, a municipality's period set, a renewal and its
//! undoing, and the day the membership year starts. The rules are `service::members`'.

use super::error::{ApiError, ApiResult};
use super::extract::{AcceptLang, PathNetwork, Who};
use crate::export;
use crate::service::members;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use axum_extra::extract::WithRejection;
use serde::{Deserialize, Serialize};
use tilmelding_domain::Municipality;
use tilmelding_domain::members::{
    Members, MembershipSet, MembershipYear, Renew, Renewal, SetMembership, YEARS,
};
use tilmelding_domain::messages::Refusal;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/networks/{network}/members", get(list))
        .route("/networks/{network}/members.csv", get(sheet))
        .route("/networks/{network}/members/{code}", put(set))
        .route("/networks/{network}/members/renew", post(renew))
        .route("/networks/{network}/members/renewals/{id}/undo", post(undo))
        .route("/networks/{network}/membership-year", put(set_year))
}

/// `?year=YYYY`; none: this membership year.
#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

impl YearQuery {
    fn year(&self) -> ApiResult<Option<i32>> {
        let Some(text) = &self.year else {
            return Ok(None);
        };
        text.parse()
            .ok()
            .filter(|y| YEARS.contains(y))
            .map(Some)
            .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Refusal::InvalidYear))
    }
}

async fn members_in(state: &AppState, network: &str, query: &YearQuery) -> ApiResult<Members> {
    let meetings = state.meeting_days(Some(network));
    let now = state.clock.now();
    Ok(members::list(&state.store, network, query.year()?, meetings, now).await?)
}

async fn list(
    State(state): State<AppState>,
    PathNetwork(network): PathNetwork,
    WithRejection(Query(query), _): WithRejection<Query<YearQuery>, ApiError>,
) -> ApiResult<Json<Members>> {
    Ok(Json(members_in(&state, &network, &query).await?))
}

/// The year's members as a sheet for Danish Excel (see [`export`]).
async fn sheet(
    State(state): State<AppState>,
    PathNetwork(network): PathNetwork,
    WithRejection(Query(query), _): WithRejection<Query<YearQuery>, ApiError>,
    AcceptLang(lang): AcceptLang,
) -> ApiResult<Response> {
    let members = members_in(&state, &network, &query).await?;
    let name = format!(
        "attachment; filename=\"medlemmer-{network}-{}.csv\"",
        members.year
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&name).map_err(ApiError::internal)?,
            ),
        ],
        export::members_csv(&members.members, lang),
    )
        .into_response())
}

async fn set(
    State(state): State<AppState>,
    PathNetwork(network): PathNetwork,
    Path((_, code)): Path<(String, String)>,
    Who(by): Who,
    WithRejection(Json(body), _): WithRejection<Json<SetMembership>, ApiError>,
) -> ApiResult<Json<MembershipSet>> {
    let code = code
        .parse()
        .ok()
        .filter(|c| Municipality::by_code(*c).is_some())
        .ok_or_else(|| ApiError::not_found(Refusal::UnknownMunicipality))?;
    // Checked as sent (the contract's `maxLength` counts the note so), then kept without
    // control characters.
    if !body.is_valid() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::InvalidMembership,
        ));
    }
    let note = tilmelding_domain::catalogue::plain_text(&body.note);
    let body = SetMembership { note, ..body };
    let meetings = state.meeting_days(Some(&network));
    let at = (by.as_str(), state.clock.now());
    let set = members::set(&state.store, (&network, code), body, meetings, at).await?;
    Ok(Json(set))
}

async fn renew(
    State(state): State<AppState>,
    PathNetwork(network): PathNetwork,
    Who(by): Who,
    WithRejection(Json(body), _): WithRejection<Json<Renew>, ApiError>,
) -> ApiResult<(StatusCode, Json<Renewal>)> {
    if !body.is_valid() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::InvalidRenewal,
        ));
    }
    let at = (by.as_str(), state.clock.now());
    let renewal = members::renew(&state.store, &network, body, at).await?;
    Ok((StatusCode::CREATED, Json(renewal)))
}

/// What undoing a renewal did.
#[derive(Serialize)]
struct Undone {
    /// Memberships that end with the earlier year again.
    undone: usize,
}

async fn undo(
    State(state): State<AppState>,
    PathNetwork(network): PathNetwork,
    Path((_, id)): Path<(String, String)>,
    Who(by): Who,
) -> ApiResult<Json<Undone>> {
    let not_undoable = || ApiError::new(StatusCode::CONFLICT, Refusal::RenewalNotUndoable);
    let id: i64 = id.parse().map_err(|_| not_undoable())?;
    let at = (by.as_str(), state.clock.now());
    let undone = members::undo(&state.store, &network, id, at)
        .await?
        .ok_or_else(not_undoable)?;
    Ok(Json(Undone { undone }))
}

/// The day the membership year starts, `MM-DD`.
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct YearStarts {
    starts: String,
}

async fn set_year(
    State(state): State<AppState>,
    PathNetwork(network): PathNetwork,
    Who(by): Who,
    WithRejection(Json(body), _): WithRejection<Json<YearStarts>, ApiError>,
) -> ApiResult<Json<YearStarts>> {
    let starts = MembershipYear::parse(&body.starts)
        .ok_or_else(|| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, Refusal::InvalidYear))?;
    let at = (by.as_str(), state.clock.now());
    members::set_year(&state.store, &network, starts, at).await?;
    Ok(Json(YearStarts {
        starts: starts.to_string(),
    }))
}
