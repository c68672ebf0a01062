//! Concurrency on a multi-worker server (`serve`, two workers, as the binary runs): one winner
//! among simultaneous refreshes and MFA answers, and no deadlock when logins, logouts, protected
//! calls, clock moves and admin calls all happen at once.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use tokio::task::JoinSet;
use veeam_auth_mock::standalone::ServeOptions;
use veeam_auth_mock::{MockControl, Scenario};

use crate::azure_helpers::AZURE;
use crate::helpers::FROZEN;

/// A `serve` on two workers (the binary's setup), on its own thread.
fn serve_multi_worker(scenario: &str) -> (String, MockControl) {
    let scenario = Scenario::from_toml_str(scenario).expect("valid");
    let address: SocketAddr = "127.0.0.1:0".parse().expect("address");
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = veeam_auth_mock::standalone::serve_blocking(
            scenario,
            address,
            ServeOptions::default(),
            |bound, control| {
                let _ = ready.send((format!("http://{}", bound.http), control));
            },
        );
    });
    started.recv().expect("the server started")
}

fn client() -> reqwest::Client {
    // A generous timeout turns a deadlock into a failure instead of a hung test.
    reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client")
}

async fn login(client: &reqwest::Client, base: &str) -> Value {
    let form = [
        ("grant_type", "password"),
        ("username", "Administrator"),
        ("password", "PassWord1"),
        ("disable_antiforgery_token", "true"),
    ];
    let response = client.post(format!("{base}/v8/token")).form(&form).send().await.expect("sent");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_100_simultaneous_refreshes_one_wins_and_the_store_stays_consistent() {
    let (base, _control) = serve_multi_worker(FROZEN);
    let client = client();
    let first = login(&client, &base).await;
    let refresh = first["refresh_token"].as_str().expect("refresh").to_owned();

    let mut requests = JoinSet::new();
    for _ in 0..100 {
        let (client, url, token) = (client.clone(), format!("{base}/v8/token"), refresh.clone());
        requests.spawn(async move {
            let form = [("grant_type", "refresh_token"), ("refresh_token", token.as_str())];
            let response = client.post(url).form(&form).send().await.expect("answered");
            let status = response.status();
            (status, response.json::<Value>().await.expect("JSON"))
        });
    }
    let answers = requests.join_all().await;

    let winners: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
    assert_eq!(winners.len(), 1, "exactly one refresh wins");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::BAD_REQUEST);
        assert_eq!(body["message"], "The refresh token has already been used.", "{body}");
    }
    // The winner's pair is whole: its access token works and its refresh token refreshes once.
    let access = winners[0]["access_token"].as_str().expect("access");
    let call =
        client.get(format!("{base}/v8/ServiceInstance")).bearer_auth(access).send().await.expect("sent");
    assert_eq!(call.status(), StatusCode::OK);
    let next = winners[0]["refresh_token"].as_str().expect("refresh");
    let form = [("grant_type", "refresh_token"), ("refresh_token", next)];
    let again = client.post(format!("{base}/v8/token")).form(&form).send().await.expect("sent");
    assert_eq!(again.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn logins_logouts_calls_clock_moves_and_admin_calls_together_never_deadlock() {
    let (base, control) = serve_multi_worker(FROZEN);
    let client = client();
    let mut tasks = JoinSet::new();
    for round in 0..40 {
        let (client, base) = (client.clone(), base.clone());
        tasks.spawn(async move {
            let pair = login(&client, &base).await;
            let access = pair["access_token"].as_str().expect("access").to_owned();
            let call = client.get(format!("{base}/v8/ServiceInstance")).bearer_auth(&access).send().await;
            let status = call.expect("answered").status();
            // A concurrent clock move may have expired the token: 200 or 401, never anything else.
            assert!(status == StatusCode::OK || status == StatusCode::UNAUTHORIZED, "{status}");
            let logout = client.post(format!("{base}/v8/token/logout")).bearer_auth(&access).send().await;
            let status = logout.expect("answered").status();
            assert!(status == StatusCode::NO_CONTENT || status == StatusCode::UNAUTHORIZED, "{status}");
            if round % 10 == 0 {
                let journal =
                    client.get(format!("{base}/__mock/journal?limit=5")).send().await.expect("answered");
                assert_eq!(journal.status(), StatusCode::OK);
            }
        });
    }
    for _ in 0..20 {
        let control = control.clone();
        tasks.spawn(async move {
            control.clock().advance(Duration::from_secs(30));
            tokio::task::yield_now().await;
            control.faults().clear();
        });
    }
    let outcome = tokio::time::timeout(Duration::from_secs(60), tasks.join_all()).await;
    assert!(outcome.is_ok(), "every task finished");
    assert!(control.journal().total() >= 120, "every product request was journaled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_mfa_challenge_answered_many_times_at_once_is_redeemed_once() {
    let (base, _control) = serve_multi_worker(AZURE);
    let client = client();
    let form = [("grant_type", "Password"), ("username", "mfa-operator"), ("password", "PassWord1")];
    let challenge: Value = client
        .post(format!("{base}/api/oauth2/token"))
        .form(&form)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("JSON");
    let token = challenge["mfa_token"].as_str().expect("mfa_token").to_owned();

    let mut answers = JoinSet::new();
    for _ in 0..50 {
        let (client, url, token) = (client.clone(), format!("{base}/api/oauth2/token"), token.clone());
        answers.spawn(async move {
            let form = [("grant_type", "Mfa"), ("mfa_token", token.as_str()), ("mfa_code", "123456")];
            client.post(url).form(&form).send().await.expect("answered").status()
        });
    }
    let statuses = answers.join_all().await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
}
