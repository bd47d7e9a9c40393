//! The OAuth2 token endpoint for service accounts: checks an RS256 JWT-bearer assertion and issues tokens.

use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use serde_json::{Value, json};

/// The test service account's private key (PKCS#8 PEM). Test data, not a secret.
pub const TEST_PRIVATE_KEY_PEM: &str = include_str!("../../data/test-service-account.key.pem");
/// Its public key (PKCS#1 DER), to verify assertions.
const TEST_PUBLIC_KEY_DER: &[u8] = include_bytes!("../../data/test-service-account.pub.der");
/// The test service account's identity.
pub const CLIENT_EMAIL: &str = "pipeline-world@pipeline-world.iam.gserviceaccount.com";
pub const PRIVATE_KEY_ID: &str = "0123456789abcdef0123456789abcdef01234567";

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Checks a token request body (form-encoded). Ok = the claims; Err = the OAuth error body.
pub fn check_grant(body: &[u8], verify_signature: bool) -> Result<Value, Value> {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if field("grant_type") != Some(GRANT_TYPE) {
        return Err(error("unsupported_grant_type", "Invalid grant_type"));
    }
    let assertion = field("assertion")
        .ok_or_else(|| error("invalid_request", "Missing required parameter: assertion"))?;
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, claims, signature] = parts.as_slice() else {
        return Err(error(
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token and in a reasonable timeframe",
        ));
    };
    let header: Value = decode_json(header).ok_or_else(|| error("invalid_grant", "Invalid JWT header"))?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(error("invalid_grant", "Invalid JWT: alg must be RS256"));
    }
    let claims_value: Value =
        decode_json(claims).ok_or_else(|| error("invalid_grant", "Invalid JWT claims"))?;
    for required in ["iss", "aud", "exp", "iat"] {
        if claims_value.get(required).is_none() {
            return Err(error(
                "invalid_grant",
                &format!("Invalid JWT: missing claim {required}"),
            ));
        }
    }
    if claims_value.get("scope").is_none() && claims_value.get("target_audience").is_none() {
        return Err(error(
            "invalid_scope",
            "Invalid OAuth scope or ID token audience provided.",
        ));
    }
    if verify_signature {
        let signature =
            base64url_decode(signature).ok_or_else(|| error("invalid_grant", "Invalid JWT signature"))?;
        let message = format!("{}.{}", parts[0], parts[1]);
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, TEST_PUBLIC_KEY_DER)
            .verify(message.as_bytes(), &signature)
            .map_err(|_| error("invalid_grant", "Invalid JWT Signature."))?;
    }
    Ok(claims_value)
}

fn error(code: &str, description: &str) -> Value {
    json!({ "error": code, "error_description": description })
}

fn decode_json(part: &str) -> Option<Value> {
    serde_json::from_slice(&base64url_decode(part)?).ok()
}

/// Base64url without padding (padding tolerated).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// Base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// A JWT-bearer assertion signed with the test key, as a service-account client would send it.
pub fn test_assertion(token_uri: &str) -> Option<String> {
    let pem: String = TEST_PRIVATE_KEY_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64url_decode(&pem)?;
    let key = ring::signature::RsaKeyPair::from_pkcs8(&der).ok()?;
    let now = chrono::Utc::now().timestamp();
    let header = base64url_encode(br#"{"alg":"RS256","typ":"JWT"}"#);
    let claims = json!({
        "iss": CLIENT_EMAIL,
        "scope": "https://www.googleapis.com/auth/spreadsheets",
        "aud": token_uri,
        "iat": now,
        "exp": now + 3600,
    });
    let claims = base64url_encode(claims.to_string().as_bytes());
    let message = format!("{header}.{claims}");
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        message.as_bytes(),
        &mut signature,
    )
    .ok()?;
    Some(format!("{message}.{}", base64url_encode(&signature)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_known_values() {
        assert_eq!(
            base64url_decode("eyJhbGciOiJSUzI1NiJ9").as_deref(),
            Some(&b"{\"alg\":\"RS256\"}"[..])
        );
        assert_eq!(base64url_decode("_-8").as_deref(), Some(&[0xff, 0xef][..]));
        assert!(base64url_decode("a b").is_none());
    }

    #[test]
    fn signed_assertions_verify_and_tampered_ones_do_not() {
        assert_eq!(base64url_encode(b"{\"alg\":\"RS256\"}"), "eyJhbGciOiJSUzI1NiJ9");
        let assertion = test_assertion("http://127.0.0.1/google/token").unwrap_or_default();
        let body = |a: &str| format!("grant_type={}&assertion={a}", GRANT_TYPE.replace(':', "%3A"));
        let claims = check_grant(body(&assertion).as_bytes(), true);
        assert_eq!(
            claims
                .ok()
                .and_then(|c| c["iss"].as_str().map(str::to_owned))
                .as_deref(),
            Some(CLIENT_EMAIL)
        );
        let at = assertion.len() - 10;
        let swap = if &assertion[at..=at] == "A" { "B" } else { "A" };
        let tampered = format!("{}{swap}{}", &assertion[..at], &assertion[at + 1..]);
        assert!(check_grant(body(&tampered).as_bytes(), true).is_err());
        assert!(check_grant(body(&tampered).as_bytes(), false).is_ok());
    }

    #[test]
    fn grants_are_checked() {
        assert!(check_grant(b"grant_type=password", false).is_err());
        let body = format!("grant_type={}&assertion=a.b", GRANT_TYPE.replace(':', "%3A"));
        assert!(check_grant(body.as_bytes(), false).is_err());
    }
}
