//! The Content-Security-Policy everything is served under.

use axum::http::HeaderValue;

/// The policy the app works under: no inline script or style, no eval (wasm needs
/// `'wasm-unsafe-eval'`), requests only to this origin and the configured extra sources.
pub fn content_security_policy(extra_connect: &str, widget: &str) -> HeaderValue {
    let sources = |list: &str| -> String {
        list.split_whitespace()
            .filter(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
            })
            .map(|s| format!(" {s}"))
            .collect()
    };
    let (connect, widget) = (sources(extra_connect), sources(widget));
    let policy = format!(
        "default-src 'self'; script-src 'self'{widget} 'wasm-unsafe-eval'; style-src 'self'{widget}; \
         connect-src 'self'{connect}; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'self'; report-uri /api/csp-report"
    );
    HeaderValue::from_str(&policy).expect("only visible ASCII goes into the policy")
}
