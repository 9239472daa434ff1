/// A field collector's terminal (走收终端): a laptop that works offline, enrolled once with the
/// platform. Its Ed25519 device key pair is generated on the laptop; the platform keeps only the
/// public key, registered to one collector (an operator) and that collector's outlet.
public struct CollectorTerminal: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, Codable {
        /// Syncs and downloads.
        case active
        /// Lost or replaced: nothing it signs is accepted any more.
        case revoked
    }

    /// The terminal's code, e.g. `FT01`: 2 to 16 capital letters and digits.
    public var id: String
    public var collector: OperatorID
    public var outletID: OutletID
    /// The raw 32-byte Ed25519 public key.
    public var publicKey: [UInt8]
    public var status: Status
    public var enrolledAtMilliseconds: Int64

    public init(id: String, collector: OperatorID, outletID: OutletID, publicKey: [UInt8], status: Status = .active,
                enrolledAtMilliseconds: Int64) {
        self.id = id
        self.collector = collector
        self.outletID = outletID
        self.publicKey = publicKey
        self.status = status
        self.enrolledAtMilliseconds = enrolledAtMilliseconds
    }

    public static func isValidID(_ text: String) -> Bool {
        (2...16).contains(text.utf8.count)
            && text.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) }
    }

    /// The external reference a line's payment carries: the terminal and the line, unique per outlet.
    public static func reference(terminal: String, sequence: Int64) -> String { "\(terminal)-\(sequence)" }
}

/// What the platform did with one line of a detail file: the claim (terminal + sequence) that
/// makes each line post once, the line's exact text (the platform's copy of the file), and its
/// outcome.
public struct DetailLineRecord: Hashable, Sendable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// Applied: a payment, a reversal or an invoice action.
        case posted
        /// Kept in the chain but not applied, for a reason a supervisor must resolve (the money
        /// was taken at the door all the same).
        case refused
    }

    public var terminal: String
    public var sequence: Int64
    /// The SHA-256 of `text`: what the next line names as its previous.
    public var hash: String
    public var text: String
    public var day: Day
    public var outcome: Outcome
    /// The payment it posted or reversed (payments and reversals).
    public var paymentID: PaymentID?
    /// The refusal's stable code, when refused.
    public var reason: String?
    /// Something a supervisor should look at though it posted, e.g. `paid_elsewhere`.
    public var flag: String?
    /// The cash it added to (or, for a reversal, took out of) the collector's bag.
    public var cash: Money
    public var recordedAtMilliseconds: Int64

    public init(terminal: String, sequence: Int64, hash: String, text: String, day: Day, outcome: Outcome,
                paymentID: PaymentID? = nil, reason: String? = nil, flag: String? = nil, cash: Money = .zero,
                recordedAtMilliseconds: Int64) {
        self.terminal = terminal
        self.sequence = sequence
        self.hash = hash
        self.text = text
        self.day = day
        self.outcome = outcome
        self.paymentID = paymentID
        self.reason = reason
        self.flag = flag
        self.cash = cash
        self.recordedAtMilliseconds = recordedAtMilliseconds
    }
}

/// Why a detail file line, or a terminal's request, was refused. A line refused for its
/// integrity (`malformed` … `conflictsWithAccepted`) stops the upload there: nothing after it is
/// read. The others are recorded in the chain as refused.
public enum CollectorError: Error, Equatable, Sendable, BusinessRejection {
    case terminalInvalid
    case terminalAlreadyEnrolled
    case publicKeyInvalid
    case terminalNotFound
    case terminalRevoked
    /// Line `n` is not a detail line as terminals write them.
    case lineMalformed(Int64?)
    /// Line `n` names another terminal.
    case lineOfAnotherTerminal(Int64)
    /// The upload skips from the last accepted line to `n`.
    case sequenceGap(expected: Int64, got: Int64)
    /// Line `n` does not name the previous line's hash.
    case chainBroken(Int64)
    /// Line `n`'s signature is not the terminal's.
    case signatureInvalid(Int64)
    /// Line `n` differs from the line already accepted under that number.
    case conflictsWithAccepted(Int64)
    /// The day end names lines the platform has not received yet.
    case detailFileIncomplete(lastReceived: Int64)
    /// The day end's cash total is not the detail file's.
    case cashTotalMismatch(expected: Money)
    /// An upload holds no lines, or more than `CollectorLimits.linesPerUploadMax`.
    case uploadSizeInvalid
    /// A line of a day the collector has no open shift for (work list not downloaded, day ended).
    case dayNotOpen(Day)
    /// A reversal or reprint names a line that posted no payment.
    case lineNotAPayment(Int64)
    /// The operator has no route: only a collector enrols a terminal.
    case noRoute
    /// The collector has an active terminal already: revoke it first.
    case collectorHasTerminal
    /// The collector ended this business day already: the next work list follows the day close.
    case dayAlreadyEnded(Day)
    /// A terminal's request without its terminal code, timestamp or signature, or with a bad one.
    case requestUnsigned
    case requestSignatureInvalid
    /// The request's timestamp is more than five minutes from the platform's clock.
    case requestExpired

    public var code: String {
        switch self {
        case .terminalInvalid: "collector_terminal_invalid"
        case .terminalAlreadyEnrolled: "collector_terminal_already_enrolled"
        case .publicKeyInvalid: "collector_public_key_invalid"
        case .terminalNotFound: "collector_terminal_not_found"
        case .terminalRevoked: "collector_terminal_revoked"
        case .lineMalformed: "detail_line_malformed"
        case .lineOfAnotherTerminal: "detail_line_other_terminal"
        case .sequenceGap: "detail_sequence_gap"
        case .chainBroken: "detail_chain_broken"
        case .signatureInvalid: "detail_signature_invalid"
        case .conflictsWithAccepted: "detail_line_conflicts"
        case .detailFileIncomplete: "detail_file_incomplete"
        case .cashTotalMismatch: "detail_cash_total_mismatch"
        case .uploadSizeInvalid: "detail_upload_size_invalid"
        case .dayNotOpen: "collector_day_not_open"
        case .lineNotAPayment: "detail_line_not_a_payment"
        case .noRoute: "collector_route_missing"
        case .collectorHasTerminal: "collector_has_terminal"
        case .dayAlreadyEnded: "collector_day_already_ended"
        case .requestUnsigned: "collector_request_unsigned"
        case .requestSignatureInvalid: "collector_request_signature_invalid"
        case .requestExpired: "collector_request_expired"
        }
    }

    public var message: String {
        switch self {
        case .terminalInvalid: "a terminal code is 2 to 16 capital letters and digits"
        case .terminalAlreadyEnrolled: "a terminal with this code is already enrolled"
        case .publicKeyInvalid:
            "public_key must be a raw Ed25519 public key (64 hexadecimal digits) of no other terminal"
        case .terminalNotFound: "no collector terminal with this code"
        case .terminalRevoked: "this terminal is revoked"
        case .lineMalformed(let n):
            n.map { "line \($0) is not a detail line" } ?? "a line without a readable seq= is not a detail line"
        case .lineOfAnotherTerminal(let n): "line \(n) names another terminal"
        case .sequenceGap(let expected, let got): "line \(got) follows a gap: the next line expected is \(expected)"
        case .chainBroken(let n): "line \(n) does not name the hash of the line before it"
        case .signatureInvalid(let n): "line \(n) is not signed by this terminal's device key"
        case .conflictsWithAccepted(let n): "line \(n) differs from the line \(n) already accepted"
        case .detailFileIncomplete(let last):
            "the platform has the detail file up to line \(last) only: sync before the day end"
        case .cashTotalMismatch(let expected): "the detail file's cash total is \(expected.yuanString)"
        case .uploadSizeInvalid: "an upload holds 1 to \(CollectorLimits.linesPerUploadMax) lines"
        case .dayNotOpen(let day): "the collector has no open shift of \(day): download the work list first"
        case .lineNotAPayment(let n): "line \(n) posted no payment"
        case .noRoute: "only a field collector with a route (走收路线) enrols a terminal"
        case .collectorHasTerminal:
            "this collector has an active terminal: a supervisor revokes it (after its last sync) first"
        case .dayAlreadyEnded(let day):
            "the collector's day \(day) is ended: the next work list comes once the supervisor closes the day"
        case .requestUnsigned:
            "a terminal request carries X-Collector-Terminal, X-Timestamp (milliseconds) and X-Signature (128 hex)"
        case .requestSignatureInvalid: "the request is not signed by this terminal's device key"
        case .requestExpired: "the request's timestamp is more than five minutes off: check the terminal's clock"
        }
    }

    public var category: RejectionCategory {
        switch self {
        case .terminalNotFound: .notFound
        case .terminalRevoked: .forbidden
        case .requestUnsigned, .requestSignatureInvalid, .requestExpired: .unauthorized
        case .terminalAlreadyEnrolled, .conflictsWithAccepted, .detailFileIncomplete, .cashTotalMismatch,
             .dayAlreadyEnded, .collectorHasTerminal: .conflict
        case .noRoute: .forbidden
        default: .invalid
        }
    }
}

public enum CollectorLimits {
    /// The most lines one upload may carry; a day's file is sent in pieces of this size.
    public static let linesPerUploadMax = 500
}
