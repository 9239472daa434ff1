/// Why the link refused a frame. A refused frame reaches no store; it is counted
/// (`paygrid_link_frames_refused_total{reason}`), logged, audited, and ends its session.
public enum LinkRefusal: Error, Sendable, Equatable, CaseIterable {
    /// Shorter than its header says (or than a header).
    case truncated
    /// Longer than its header says, or announcing more than the size limit.
    case oversized
    /// The MAC does not verify under the link key.
    case signatureInvalid
    /// Authentic, but not a frame of this version (magic, version or kind).
    case malformed
    /// A sequence number already used in this session.
    case replayed
    /// A sequence number past the next one: frames are missing.
    case sequenceGap
    /// A timestamp outside the accepted window of the receiver's clock.
    case stale
    /// A frame for another session, or a request before the handshake.
    case wrongSession
    /// A frame of a kind this side never receives at this point (a second hello, an answer to a server).
    case unexpected
    /// The payload is not a statement: not the JSON object `{"operation", "parameters"}`.
    case payloadInvalid
    /// An operation outside the whitelist.
    case operationUnknown
    /// A parameter missing, unexpected, not a string, or not of its type.
    case parameterInvalid

    /// The stable code in logs, metrics and the audit log.
    public var code: String {
        switch self {
        case .truncated: "truncated"
        case .oversized: "oversized"
        case .signatureInvalid: "signature_invalid"
        case .malformed: "malformed"
        case .replayed: "replayed"
        case .sequenceGap: "sequence_gap"
        case .stale: "stale"
        case .wrongSession: "wrong_session"
        case .unexpected: "unexpected"
        case .payloadInvalid: "payload_invalid"
        case .operationUnknown: "operation_unknown"
        case .parameterInvalid: "parameter_invalid"
        }
    }
}
