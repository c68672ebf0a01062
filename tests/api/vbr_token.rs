//! VBR `POST /api/oauth2/token`: the `TokenModel` body and the JWTs against the official
//! documents' `TokenModelExample`, every revision's grant spelling, the short-term refresh
//! lifetime, the names VBR takes, and the refused logins.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::vbr_helpers::{
    AUTH_FAILED, EXPIRES, FORBIDDEN, ISSUED, NOT_VALID, NOW, assert_vbr, jwt_text, keys, official,
    token_example,
};

/// The mock's `kid`: the SHA-1 thumbprint of its key certificate.
const KID: &str = "BBC1E28EA38F90EA006F0925D280AC6FC362ECC7";

#[tokio::test]
async fn the_body_and_both_jwts_are_the_documents_example_key_for_key() {
    let app = TestApp::spawn_vbr().await;
    let response = app
        .vbr_token(
            Some("1.3-rev2"),
            &[("grant_type", "password"), ("username", "sheila.d.cory"), ("password", "PassWord1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        keys(&body),
        ["access_token", "token_type", "refresh_token", "expires_in", ".issued", ".expires"]
    );
    assert_eq!((&body["token_type"], &body["expires_in"]), (&json!("bearer"), &json!(900)));
    assert_eq!((&body[".issued"], &body[".expires"]), (&json!(ISSUED), &json!(EXPIRES)));

    let access = body["access_token"].as_str().expect("access");
    let refresh = body["refresh_token"].as_str().expect("refresh");
    let header = format!(r#"{{"alg":"RS512","kid":"{KID}","typ":"JWT"}}"#);
    assert_eq!(jwt_text(access, 0), header);
    assert_eq!(jwt_text(refresh, 0), header);
    let end = NOW + 900;
    assert_eq!(
        jwt_text(access, 1),
        format!(r#"{{"unique_name":"sheila.d.cory","nbf":{NOW},"exp":{end},"iat":{NOW},"aud":"access"}}"#)
    );
    let claims: Value = serde_json::from_str(&jwt_text(refresh, 1)).expect("JSON");
    let token_id = claims["token_id"].as_str().expect("token_id");
    assert!(uuid::Uuid::parse_str(token_id).is_ok() && token_id == token_id.to_lowercase(), "{token_id}");
    let end = NOW + 14 * 86_400;
    assert_eq!(
        jwt_text(refresh, 1),
        format!(
            r#"{{"unique_name":"sheila.d.cory","token_id":"{token_id}","short_term_expiration":"False","nbf":{NOW},"exp":{end},"iat":{NOW},"aud":"refresh"}}"#
        )
    );

    // Against the documents themselves, when they are here: the same members in the same
    // order, the same header and claim names in the same order, the same lifetimes.
    for version in ["1.2-rev1", "1.3-rev0", "1.3-rev1", "1.3-rev2"] {
        let Some(document) = official(version) else { return };
        let example = token_example(&document);
        assert_eq!(keys(&example), keys(&body), "{version}");
        let schema = &document["components"]["schemas"]["TokenModel"]["properties"];
        assert_eq!(keys(schema), keys(&body), "{version}");
        for (token, ours) in [("access_token", access), ("refresh_token", refresh)] {
            let theirs = example[token].as_str().expect("a JWT");
            for part in [0, 1] {
                let theirs: Value = serde_json::from_str(&jwt_text(theirs, part)).expect("JSON");
                let mine: Value = serde_json::from_str(&jwt_text(ours, part)).expect("JSON");
                assert_eq!(keys(&theirs), keys(&mine), "{version} {token} part {part}");
                for same in ["alg", "typ", "aud", "short_term_expiration"] {
                    assert_eq!(theirs.get(same), mine.get(same), "{version} {token} {same}");
                }
                if part == 1 {
                    let life = |claims: &Value| {
                        claims["exp"].as_i64().zip(claims["iat"].as_i64()).map(|(e, i)| e - i)
                    };
                    assert_eq!(life(&theirs), life(&mine), "{version} {token} lifetime");
                }
            }
            let signature = |token: &str| token.rsplit('.').next().map(str::len);
            assert_eq!(signature(theirs), signature(ours), "RSA-2048: 342 characters");
        }
        assert_eq!(example["expires_in"], body["expires_in"]);
        let issued = example[".issued"].as_str().expect("a date");
        assert_eq!(issued.len(), ISSUED.len(), "{version}: whole seconds with an offset, {issued}");
    }
}

#[tokio::test]
async fn every_revision_takes_both_grant_spellings() {
    let app = TestApp::spawn_vbr().await;
    for version in
        ["1.1-rev0", "1.1-rev1", "1.1-rev2", "1.2-rev0", "1.2-rev1", "1.3-rev0", "1.3-rev1", "1.3-rev2"]
    {
        for (password, refresh) in
            [("password", "refresh_token"), ("Password", "Refresh_token"), ("PASSWORD", "REFRESH_TOKEN")]
        {
            let form = [("grant_type", password), ("username", "administrator"), ("password", "PassWord1")];
            let response = app.vbr_token(Some(version), &form).await;
            assert_eq!(response.status(), StatusCode::OK, "{version} {password}");
            let login = crate::vbr_helpers::VbrLogin::read(response).await;
            let response = app
                .vbr_token(Some(version), &[("grant_type", refresh), ("refresh_token", &login.refresh)])
                .await;
            assert_eq!(response.status(), StatusCode::OK, "{version} {refresh}");
        }
    }
}

#[tokio::test]
async fn a_short_term_refresh_token_lives_the_access_lifetime_plus_fifteen_minutes_and_stays_short() {
    let app = TestApp::spawn_vbr().await;
    let form = [
        ("grant_type", "Password"),
        ("username", "administrator"),
        ("password", "PassWord1"),
        ("use_short_term_refresh", "True"),
    ];
    let login = crate::vbr_helpers::VbrLogin::read(app.vbr_token(Some("1.3-rev1"), &form).await).await;
    let claims: Value = serde_json::from_str(&jwt_text(&login.refresh, 1)).expect("JSON");
    assert_eq!(claims["short_term_expiration"], "True");
    assert_eq!(claims["exp"].as_i64(), Some(NOW + 1_800));

    let response = app.vbr_refresh("1.3-rev1", &login.refresh).await;
    let again = crate::vbr_helpers::VbrLogin::read(response).await;
    let claims: Value = serde_json::from_str(&jwt_text(&again.refresh, 1)).expect("JSON");
    assert_eq!(
        (claims["short_term_expiration"].as_str(), claims["exp"].as_i64()),
        (Some("True"), Some(NOW + 1_800))
    );

    // Past its 30 minutes the short-term token is refused, where a 14-day one would still pass.
    app.server.clock().advance(std::time::Duration::from_secs(1_800));
    assert_vbr(app.vbr_refresh("1.3-rev1", &again.refresh).await, StatusCode::UNAUTHORIZED, AUTH_FAILED)
        .await;
}

#[tokio::test]
async fn local_and_domain_names_sign_in_as_vbr_takes_them_and_unique_name_echoes_them() {
    let app = TestApp::spawn_vbr().await;
    for name in [
        r".\administrator",
        r"VBR01\Administrator",
        "ADMINISTRATOR",
        r"tech\backup.viewer",
        "backup.viewer@tech.local",
    ] {
        let login = app.vbr_login("1.3-rev2", name).await;
        let claims: Value = serde_json::from_str(&jwt_text(&login.access, 1)).expect("JSON");
        assert_eq!(claims["unique_name"], name);
    }
    // A domain account is not local: `.\` does not name it.
    let form = [("grant_type", "Password"), ("username", r".\backup.viewer"), ("password", "PassWord1")];
    assert_vbr(app.vbr_token(Some("1.3-rev2"), &form).await, StatusCode::UNAUTHORIZED, AUTH_FAILED).await;
}

#[tokio::test]
async fn refused_logins_get_the_real_servers_401_and_malformed_ones_400() {
    let app = TestApp::spawn_vbr().await;
    let refused = [
        vec![("grant_type", "password"), ("username", "administrator"), ("password", "wrong")],
        vec![("grant_type", "password"), ("username", "nobody"), ("password", "PassWord1")],
        // MFA-enabled accounts cannot use the REST API.
        vec![("grant_type", "password"), ("username", "mfa.user"), ("password", "PassWord1")],
        vec![("grant_type", "refresh_token"), ("refresh_token", "not-a-token")],
        vec![("grant_type", "authorization_code"), ("code", "unknown")],
        vec![("grant_type", "vbr_token"), ("vbr_token", "unknown")],
    ];
    for form in refused {
        let response = app.vbr_token(Some("1.3-rev2"), &form).await;
        assert_eq!(response.headers().get("www-authenticate"), None, "{form:?}");
        assert_vbr(response, StatusCode::UNAUTHORIZED, AUTH_FAILED).await;
    }
    let malformed = [
        vec![("username", "administrator"), ("password", "PassWord1")],
        vec![("grant_type", "client_credentials")],
        vec![("grant_type", "password"), ("username", "administrator")],
        vec![("grant_type", "refresh_token")],
        vec![
            ("grant_type", "password"),
            ("username", "administrator"),
            ("password", "PassWord1"),
            ("use_short_term_refresh", "maybe"),
        ],
    ];
    for form in malformed {
        assert_vbr(app.vbr_token(Some("1.3-rev2"), &form).await, StatusCode::BAD_REQUEST, NOT_VALID).await;
    }
    // Not a form: JSON, or no content type at all.
    let json = app
        .client
        .post(app.url("/api/oauth2/token"))
        .header("x-api-version", "1.3-rev2")
        .json(&json!({"grant_type": "password", "username": "administrator", "password": "PassWord1"}))
        .send()
        .await
        .expect("sent");
    assert_vbr(json, StatusCode::BAD_REQUEST, NOT_VALID).await;
    // Over the 64 KiB cap.
    let big = app
        .client
        .post(app.url("/api/oauth2/token"))
        .header("x-api-version", "1.3-rev2")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=password&username={}", "a".repeat(70_000)))
        .send()
        .await
        .expect("sent");
    assert_vbr(
        big,
        StatusCode::PAYLOAD_TOO_LARGE,
        r#"{"errorCode":"UnexpectedContent","message":"The request body is too large.","resourceId":null}"#,
    )
    .await;
}

#[tokio::test]
async fn a_custom_role_is_refused_where_the_revision_allows_built_in_roles_only() {
    let app = TestApp::spawn_vbr().await;
    let form = [("grant_type", "password"), ("username", "custom.user"), ("password", "PassWord1")];
    for version in ["1.3-rev0", "1.3-rev1"] {
        assert_vbr(app.vbr_token(Some(version), &form).await, StatusCode::FORBIDDEN, FORBIDDEN).await;
    }
    for version in ["1.2-rev1", "1.3-rev2"] {
        assert_eq!(app.vbr_token(Some(version), &form).await.status(), StatusCode::OK, "{version}");
    }
}

#[tokio::test]
async fn seeded_grants_sign_their_user_in_and_a_single_use_one_only_once() {
    let app = TestApp::spawn_vbr().await;
    let form = [("grant_type", "Vbr_token"), ("vbr_token", "platform-service-token")];
    let login = crate::vbr_helpers::VbrLogin::read(app.vbr_token(Some("1.3-rev2"), &form).await).await;
    let claims: Value = serde_json::from_str(&jwt_text(&login.access, 1)).expect("JSON");
    assert_eq!(claims["unique_name"], "administrator");
    assert_vbr(app.vbr_token(Some("1.3-rev2"), &form).await, StatusCode::UNAUTHORIZED, AUTH_FAILED).await;

    let code = [("grant_type", "authorization_code"), ("code", "seeded-code")];
    for _ in 0..2 {
        assert_eq!(app.vbr_token(Some("1.3-rev2"), &code).await.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn the_token_body_can_carry_the_overviews_username_and_dates_follow_the_offset() {
    let app = TestApp::spawn_vbr_with("token_username = true\ntime_offset = \"-05:00\"").await;
    let login = app.vbr_login("1.3-rev2", r".\administrator").await;
    assert_eq!(keys(&login.body).last().map(String::as_str), Some("username"));
    assert_eq!(login.body["username"], r".\administrator");
    assert_eq!(login.body[".issued"], "2025-04-24T08:24:18-05:00");
}
