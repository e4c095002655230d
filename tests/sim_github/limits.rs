//! Conditional requests, rate limits and error answers, through octocrab.

use super::*;

/// Conditional GET the way the pane can do it with octocrab: the raw
/// `_get_with_headers` with `If-None-Match`, then the status decides.
async fn conditional(
    octo: &Octocrab,
    route: &str,
    etag: Option<EntityTag>,
) -> (StatusCode, Option<EntityTag>, u32, Option<Page<Run>>) {
    let mut headers = HeaderMap::new();
    if let Some(etag) = etag {
        EntityTag::insert_if_none_match_header(&mut headers, etag).expect("header");
    }
    let response = octo
        ._get_with_headers(route, Some(headers))
        .await
        .expect("request");
    let status = response.status();
    let etag = EntityTag::extract_from_response(&response);
    let remaining = response
        .headers()
        .get("x-ratelimit-remaining")
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .expect("x-ratelimit-remaining on every answer");
    let page = if status == StatusCode::NOT_MODIFIED {
        None
    } else {
        let ok = octocrab::map_github_error(response).await.expect("200");
        Some(
            Page::<Run>::from_response(ok)
                .await
                .expect("a page of runs"),
        )
    };
    (status, etag, remaining, page)
}

#[tokio::test]
async fn unchanged_conditional_get_is_a_free_304() {
    let sim = start(Scenario::Demo).await;
    let octo = client(&sim);
    let route = "/repos/acme/web/actions/runs?per_page=5";
    let (status, etag, remaining, page) = conditional(&octo, route, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.map(|p| p.items.len()), Some(5));
    let (status, same, after, page) = conditional(&octo, route, etag.clone()).await;
    assert_eq!((status, page.is_none()), (StatusCode::NOT_MODIFIED, true));
    assert_eq!(same, etag, "a 304 repeats the ETag");
    assert_eq!(after, remaining, "a 304 does not use up the limit");
    assert_eq!(sim.rate_limit_remaining(), remaining);
    assert_eq!(sim.counters().not_modified, 1);

    // Runs moving on change the ETag: the same request gets a full answer.
    sim.advance(Duration::from_secs(120));
    let (status, newer, after, _) = conditional(&octo, route, etag).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(newer, same);
    assert_eq!(after, remaining - 1);

    // octocrab's own cache layer does the same transparently.
    let cached = Octocrab::builder()
        .base_uri(sim.base_url())
        .expect("base uri")
        .personal_token(sim.token().to_string())
        .cache(InMemoryCache::new())
        .build()
        .expect("client");
    let handler = cached.workflows("acme", "web");
    let a = handler
        .list_all_runs()
        .per_page(5u8)
        .send()
        .await
        .expect("first");
    let b = handler
        .list_all_runs()
        .per_page(5u8)
        .send()
        .await
        .expect("second, from the 304");
    assert_eq!(a.items, b.items);
    assert_eq!(sim.counters().not_modified, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn scale_scenario_is_steady_so_polls_get_304() {
    let sim = start(Scenario::Scale {
        repos: 20,
        runs_per_repo: 100,
    })
    .await;
    let octo = client(&sim);
    let route = "/repos/acme/svc-19/actions/runs?per_page=100";
    let (_, etag, _, page) = conditional(&octo, route, None).await;
    let page = page.expect("page");
    assert_eq!((page.total_count, page.items.len()), (Some(100), 100));
    assert!(page.items.iter().all(|r| r.status == "completed"));
    sim.advance(Duration::from_secs(3600));
    let (status, _, _, _) = conditional(&octo, route, etag).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    sim.shutdown().await;
}

#[tokio::test]
async fn exhausted_rate_limit_refuses_until_reset() {
    let sim = start(Scenario::Empty).await;
    let octo = client(&sim);
    let wf = || octo.workflows("acme", "empty");
    sim.set_rate_limit(1, Duration::from_secs(60));
    wf().list()
        .send()
        .await
        .expect("the last request of the window");
    let refused = wf().list().send().await;
    let Err(octocrab::Error::GitHub { source, .. }) = refused else {
        panic!("expected a GitHub error");
    };
    assert_eq!(source.status_code, StatusCode::FORBIDDEN);
    assert!(source.message.starts_with("API rate limit exceeded"));
    let headers = source.headers.expect("headers");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    let reset = source.rate_limit_reset.expect("x-ratelimit-reset");
    assert_eq!(reset as i64, sim.now().timestamp() + 60);
    assert_eq!(sim.counters().rate_limited, 1);
    // GET /rate_limit still answers, and does not count.
    let limits = octo.ratelimit().get().await.expect("rate limit");
    assert_eq!(
        (limits.resources.core.remaining, limits.rate.limit),
        (0, 5000)
    );

    sim.advance(Duration::from_secs(61));
    wf().list().send().await.expect("a new window");
    assert_eq!(sim.rate_limit_remaining(), 4999);

    // 429 is the other documented status; octocrab retries 429 three times
    // on its own (RetryConfig::Simple(3)), so four refusals are counted.
    sim.set_rate_limit(0, Duration::from_secs(60));
    sim.set_rate_limit_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        status(wf().list().send().await),
        Some(StatusCode::TOO_MANY_REQUESTS)
    );
    assert_eq!(sim.counters().rate_limited, 5);
    sim.shutdown().await;
}

#[tokio::test]
async fn secondary_limit_answers_403_with_retry_after() {
    let sim = start(Scenario::Empty).await;
    let octo = client(&sim);
    sim.secondary_limit(Duration::from_secs(30));
    let Err(octocrab::Error::GitHub { source, .. }) =
        octo.workflows("acme", "empty").list().send().await
    else {
        panic!("expected a GitHub error");
    };
    assert_eq!(source.status_code, StatusCode::FORBIDDEN);
    assert!(source.message.contains("secondary rate limit"));
    assert_eq!(source.headers.expect("headers")["retry-after"], "30");
    sim.advance(Duration::from_secs(31));
    octo.workflows("acme", "empty")
        .list()
        .send()
        .await
        .expect("allowed again");
    sim.shutdown().await;
}

#[tokio::test]
async fn errors_surface_as_octocrab_errors_with_their_status() {
    let sim = start(Scenario::Empty).await;
    let octo = client(&sim);
    let wrong = Octocrab::builder()
        .base_uri(sim.base_url())
        .expect("base uri")
        .personal_token("ghp_wrong".to_string())
        .build()
        .expect("client");
    let Err(octocrab::Error::GitHub { source, .. }) =
        wrong.workflows("acme", "empty").list().send().await
    else {
        panic!("expected a GitHub error");
    };
    assert_eq!(
        (source.status_code, source.message.as_str()),
        (StatusCode::UNAUTHORIZED, "Bad credentials")
    );
    assert_eq!(sim.counters().unauthorized, 1);

    let anonymous = Octocrab::builder()
        .base_uri(sim.base_url())
        .expect("uri")
        .build()
        .expect("client");
    assert_eq!(
        status(anonymous.workflows("acme", "empty").list().send().await),
        Some(StatusCode::NOT_FOUND)
    );
    assert_eq!(
        status(octo.workflows("acme", "nope").list().send().await),
        Some(StatusCode::NOT_FOUND)
    );
    assert_eq!(
        status(octo.workflows("acme", "empty").get(1u64.into()).await),
        Some(StatusCode::NOT_FOUND)
    );

    // An outage is a 502; octocrab retries 5xx three times before giving up.
    sim.set_outage(true);
    let before = sim.counters().requests;
    assert_eq!(
        status(octo.workflows("acme", "empty").list().send().await),
        Some(StatusCode::BAD_GATEWAY)
    );
    assert_eq!(sim.counters().requests - before, 4);
    sim.set_outage(false);
    octo.workflows("acme", "empty")
        .list()
        .send()
        .await
        .expect("back up");
    sim.shutdown().await;
}
