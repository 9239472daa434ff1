import Logging
import Metrics

/// What a utility's intrusion detection watches for: each signal is a Prometheus counter,
/// `paygrid_intrusion_signals_total{signal}`, and a structured log event (`intrusion signal`,
/// `security.signal`, `security.subject`). The alert thresholds are in docs/security.md.
/// The subject names who or where (a partner code, an operator id, a client address); never a
/// secret, a PIN or a password.
public enum IntrusionSignal: String, Sendable, CaseIterable {
    /// A bank request whose HMAC signature does not verify.
    case signatureInvalid = "signature_invalid"
    /// A bank request that reuses a nonce: a replay.
    case nonceReplayed = "nonce_replayed"
    /// A bank request whose timestamp is outside the window: a replay or a wrong clock.
    case timestampExpired = "timestamp_expired"
    /// A request that names a partner code PayGrid does not know.
    case partnerUnknown = "partner_unknown"
    /// A wrong password at sign-in.
    case loginFailed = "login_failed"
    /// Sign-in refused because the operator, address or id is locked out or throttled.
    case loginLockout = "login_lockout"
    /// A voucher PIN that does not match (or a redemption refused for too many of them).
    case voucherPINWrong = "voucher_pin_wrong"
    /// A request refused by a rate limit.
    case rateLimited = "rate_limited"

    private static let logger = Logger(label: "paygrid.security")

    /// Counts and logs one occurrence. The subject may carry what a client sent: it is cut to 120
    /// characters and its control characters replaced, so it cannot forge log lines.
    public func raise(subject: String) {
        count()
        log(subject: subject)
    }

    /// Counts one occurrence without a log event (a flood is logged once, not line by line).
    public func count() {
        Counter(label: "paygrid_intrusion_signals_total", dimensions: [("signal", rawValue)]).increment()
    }

    public func log(subject: String) {
        let printable = String(String.UnicodeScalarView(subject.unicodeScalars.prefix(120).map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
        Self.logger.warning(
            "intrusion signal", metadata: ["security.signal": "\(rawValue)", "security.subject": "\(printable)"])
    }
}
